/** What the Singpass routes share: the core, the surface's own storage, RP authentication, links. */
import type { CoreDeps } from '../../core/ports.js';
import type { StoreTx } from '../../storage/store-tx.js';
import type { SurfaceContext, SurfaceHttp } from '../surface.js';
import { createRpAuthenticator, type RpAuthenticator } from './rp-auth.js';
import { createSignedDocumentLinks, type SignedDocumentLinks } from './signed-document-links.js';
import { createSingpassStore, type SingpassStore } from './singpass-store.js';

/** Where the surface is mounted, in place of https://staging.sign.singpass.gov.sg/api/v3. */
export const SINGPASS_MOUNT = '/singpass/api/v3';
/** Where Sign's JWKS is served (`keys.json`), in place of https://static.staging.sign.singpass.gov.sg/.well-known. */
export const SINGPASS_JWKS_MOUNT = '/singpass/.well-known';

export interface SingpassServices {
  /** Its store's transactions reach the surface's tables (`tx.singpass`). */
  readonly deps: CoreDeps<StoreTx>;
  readonly publicUrl: string;
  readonly repository: SingpassStore;
  readonly auth: RpAuthenticator;
  readonly signedDocumentLinks: SignedDocumentLinks;
}

export function createSingpassServices(context: SurfaceContext, http: SurfaceHttp): SingpassServices {
  const repository = createSingpassStore(context);
  return {
    deps: context.deps,
    publicUrl: context.publicUrl,
    repository,
    auth: createRpAuthenticator(repository, context.deps.clock, http.throttle),
    signedDocumentLinks: createSignedDocumentLinks(context.deps.settings.linkKey),
  };
}
