/** What the Singpass routes share: the core, the surface's own storage, RP authentication, links. */
import type { CoreDeps } from '../../core/ports.js';
import { createSingpassRepository } from '../../storage/sqlite/singpass-repository.js';
import type { SurfaceContext, SurfaceHttp } from '../surface.js';
import { createRpAuthenticator, type RpAuthenticator } from './rp-auth.js';
import { createSignedDocumentLinks, type SignedDocumentLinks } from './signed-document-links.js';
import type { SingpassRepository } from './singpass-repository.js';

/** Where the surface is mounted, in place of https://staging.sign.singpass.gov.sg/api/v3. */
export const SINGPASS_MOUNT = '/singpass/api/v3';
/** Where Sign's JWKS is served (`keys.json`), in place of https://static.staging.sign.singpass.gov.sg/.well-known. */
export const SINGPASS_JWKS_MOUNT = '/singpass/.well-known';

export interface SingpassServices {
  readonly deps: CoreDeps;
  readonly publicUrl: string;
  readonly repository: SingpassRepository;
  readonly auth: RpAuthenticator;
  readonly signedDocumentLinks: SignedDocumentLinks;
}

export function createSingpassRepositoryFor(context: SurfaceContext): SingpassRepository {
  // The store's transaction is the lock on the shared connection (see singpass-repository.ts).
  return createSingpassRepository(context.sqlite, (fn) => context.deps.store.transaction(async () => fn()));
}

export function createSingpassServices(context: SurfaceContext, http: SurfaceHttp): SingpassServices {
  const repository = createSingpassRepositoryFor(context);
  return {
    deps: context.deps,
    publicUrl: context.publicUrl,
    repository,
    auth: createRpAuthenticator(repository, context.deps.clock, http.throttle),
    signedDocumentLinks: createSignedDocumentLinks(context.deps.settings.linkKey),
  };
}
