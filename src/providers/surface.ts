/**
 * A provider surface: a thin translator from one provider's wire contract to the core use cases
 * (routes, request and response mapping, error envelope, its own auth). Business rules belong in
 * src/core, never here. Each surface lives in src/providers/<name>/ and is listed in index.ts.
 */
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { CoreDeps, IdGenerator } from '../core/ports.js';
import type { NewCredential } from '../core/use-cases/manage-tenants.js';
import type { WebhookRenderer } from '../delivery/webhook-renderer.js';
import type { SecretSealer } from '../security/sealed-secrets.js';
import type { StoreTx } from '../storage/store-tx.js';
import type { AnyRoute } from '../http/route.js';
import type { AuthThrottle } from '../http/throttle/auth-throttle.js';
import type { RequestQuota } from '../http/throttle/request-quota.js';

export type SurfaceName = 'lumin' | 'singpass' | 'taktikal' | 'kaizen' | 'auco';

export interface SurfaceContext {
  /**
   * The core's dependencies. Its store's transactions reach the surfaces' own tables too
   * (`tx.taktikal`, `tx.singpass`, `tx.kaizenRequestNumbers`): a surface writes its rows in the
   * transaction of the core change they belong to (e.g. createSignatureRequestInTransaction).
   */
  readonly deps: CoreDeps<StoreTx>;
  /** Base URL of this server as clients reach it (links, details_url, signing_url). */
  readonly publicUrl: string;
  /** Seals secrets that must be read back later (webhook signing keys). */
  readonly sealer: SecretSealer;
}

/** What the HTTP server lends each surface's routes (they exist only once the server is built). */
export interface SurfaceHttp {
  /** Every credential check of a surface runs inside `throttle.guard` (failed authentications are limited). */
  readonly throttle: AuthThrottle;
  /** Request quotas a provider documents, per credential (only Lumin documents one). */
  readonly quotas: Readonly<Partial<Record<SurfaceName, RequestQuota>>>;
}

export interface IssuedCredentials {
  /** Stored (hashed or sealed) in the tenant's creation transaction, or by the issuing use case. */
  readonly credentials: readonly NewCredential[];
  /** What the client sends, in the provider's form: printed once (`tenant create --json` under the surface's name). */
  readonly display: Readonly<Record<string, string>>;
}

/** What a surface needs to mint a credential (the one source of randomness, and the sealer). */
export interface CredentialTools {
  readonly ids: IdGenerator;
  readonly sealer: SecretSealer;
}

/**
 * A kind of credential a surface authenticates with. The surface knows its format; the core does
 * the lifecycle (list, issue, revoke, expiry) for every kind alike.
 */
export interface CredentialKind {
  readonly kind: string;
  readonly description: string;
  /**
   * Mints a new credential of this kind, to be issued through `POST /v1/credentials` or
   * `countersign key create --kind` (rotation: a new one, then revoke the old). Absent for kinds
   * minted with provider-specific input of their own (Lumin access tokens and OAuth apps).
   */
  mint?(
    tools: CredentialTools,
    options: { readonly label: string | null; readonly expiresAt: number | null },
  ): MintedCredential;
}

export interface MintedCredential {
  readonly credential: NewCredential;
  /** What the client sends, in the provider's form (the same fields as `tenant create --json` prints). */
  readonly display: Readonly<Record<string, string>>;
}

export interface Surface {
  readonly name: SurfaceName;
  /** Registers the surface's routes under its own mount points, with its own error handler. */
  register(app: FastifyInstance, context: SurfaceContext, http: SurfaceHttp): Promise<void>;
  /** Credentials every new tenant gets for this surface. */
  issueTenantCredentials?(tools: CredentialTools): IssuedCredentials;
  /** The kinds of credential this surface accepts, for their lifecycle (list, issue, revoke). */
  readonly credentialKinds?: readonly CredentialKind[];
  /** Admin endpoints under /v1 (native auth, problem+json errors, listed in /openapi.json). */
  nativeRoutes?(context: SurfaceContext): AnyRoute[];
  /** Extra CLI commands; `open` runs a function with a context on the data dir and closes it. */
  registerCli?(
    program: Command,
    open: <T>(dataDir: string | undefined, fn: (context: SurfaceContext) => Promise<T>) => Promise<T>,
  ): void;
  /**
   * The provider's webhook format, for delivery's renderer port (src/delivery/webhook-renderer.ts):
   * the composition root builds it once with the server's context and hands it to delivery.
   */
  webhookRenderer?(context: SurfaceContext): WebhookRenderer;
}
