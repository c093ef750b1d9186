import { createTenant } from '../core/use-cases/manage-tenants.js';
import { SURFACES } from './index.js';
import type { SurfaceContext } from './surface.js';

export interface CreatedTenant {
  readonly tenantId: string;
  readonly apiKey: string;
  /** Per surface, what `tenant create --json` prints under its name (shown once). */
  readonly surfaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A new tenant with its native key and the credentials of every provider surface, in one transaction. */
export async function createTenantWithCredentials(
  { deps, sealer }: SurfaceContext,
  name: string,
): Promise<CreatedTenant> {
  const issued = SURFACES.flatMap((surface) => {
    const credentials = surface.issueTenantCredentials?.({ ids: deps.ids, sealer });
    return credentials ? [{ name: surface.name, ...credentials }] : [];
  });
  const { tenant, apiKey } = await createTenant(
    deps,
    name,
    issued.flatMap((entry) => entry.credentials),
  );
  return {
    tenantId: tenant.id,
    apiKey: apiKey.key,
    surfaces: Object.fromEntries(issued.map((entry) => [entry.name, entry.display])),
  };
}
