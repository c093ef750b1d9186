/** The provider credential kinds of the surfaces, each with the surface it belongs to. */
import type { CredentialKind, Surface, SurfaceName } from './surface.js';

export interface ProviderCredentialKind extends CredentialKind {
  readonly surface: SurfaceName;
}

export function credentialKindsOf(surfaces: readonly Surface[]): ProviderCredentialKind[] {
  return surfaces.flatMap((surface) =>
    (surface.credentialKinds ?? []).map((kind) => ({ ...kind, surface: surface.name })),
  );
}

/** The kinds that can be issued without provider-specific input (POST /v1/credentials, `key create --kind`). */
export function mintableKindsOf(
  surfaces: readonly Surface[],
): (ProviderCredentialKind & Required<Pick<CredentialKind, 'mint'>>)[] {
  return credentialKindsOf(surfaces).filter(
    (kind): kind is ProviderCredentialKind & Required<Pick<CredentialKind, 'mint'>> => kind.mint !== undefined,
  );
}
