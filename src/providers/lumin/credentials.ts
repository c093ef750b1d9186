/**
 * Lumin credentials. Each is `<prefix>_<lookup>.<secret>` (the lookup finds the record, only the
 * sha256 of the secret is stored), except OAuth apps whose client_id is `lma_<lookup>` and whose
 * client_secret is the secret:
 * - `lmk_…` API key (kind lumin_api_key): the Primary key made with the tenant, and any issued
 *   later. Their full value is also sealed: the oldest live one is the HMAC key of Lumin webhooks;
 * - `lmt_…` OAuth2-style access token (kind lumin_token) with scopes and an expiry;
 * - `lma_…` OAuth app (kind lumin_app) that trades client credentials for tokens.
 */
import { credentialStatusOf } from '../../core/credential-summary.js';
import type { CoreDeps, CredentialRecord, IdGenerator } from '../../core/ports.js';
import { hashSecret } from '../../core/secrets.js';
import { addCredential, verifyCredential, type NewCredential } from '../../core/use-cases/manage-tenants.js';
import type { SecretSealer } from '../../security/sealed-secrets.js';

export const LUMIN_API_KEY_KIND = 'lumin_api_key';
export const LUMIN_TOKEN_KIND = 'lumin_token';
export const LUMIN_APP_KIND = 'lumin_app';
export const PRIMARY_KEY_LABEL = 'Primary';

/** The Lumin scopes this server implements (the others of Lumin's list guard endpoints we do not have). */
export const LUMIN_SCOPES = ['sign:requests', 'sign:requests.read'] as const;
export type LuminScope = (typeof LUMIN_SCOPES)[number];

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
export const MAX_TOKEN_TTL_SECONDS = 366 * 86_400;

const KEY_PATTERN = /^lmk_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{32})$/;
const TOKEN_PATTERN = /^lmt_([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{32})$/;
const CLIENT_ID_PATTERN = /^lma_([A-Za-z0-9_-]{12})$/;

export function isLuminScope(scope: string): scope is LuminScope {
  return (LUMIN_SCOPES as readonly string[]).includes(scope);
}

/** Splits an OAuth scope string; undefined when a scope is unknown. */
export function parseScopes(text: string): LuminScope[] | undefined {
  const scopes = [...new Set(text.split(/\s+/).filter((scope) => scope.length > 0))];
  return scopes.every(isLuminScope) && scopes.length > 0 ? scopes : undefined;
}

/**
 * A Lumin API key: hashed for auth, and sealed (bound to its id) because the tenant's oldest live
 * key signs its Lumin webhooks, so any key may become that one when an older key is revoked.
 */
export function mintApiKey(
  tools: { ids: IdGenerator; sealer: SecretSealer },
  label: string | null,
  expiresAt: number | null,
): { credential: NewCredential; apiKey: string } {
  const id = tools.ids.next('key');
  const lookup = tools.ids.secret(9);
  const secret = tools.ids.secret(24);
  const apiKey = `lmk_${lookup}.${secret}`;
  return {
    apiKey,
    credential: {
      id,
      kind: LUMIN_API_KEY_KIND,
      lookup,
      secretHash: hashSecret(secret),
      scopes: [...LUMIN_SCOPES],
      label,
      expiresAt,
      sealedSecret: tools.sealer.seal(apiKey, id),
    },
  };
}

/** The Primary API key of a new tenant. */
export function issuePrimaryApiKey(tools: { ids: IdGenerator; sealer: SecretSealer }): {
  credential: NewCredential;
  apiKey: string;
} {
  return mintApiKey(tools, PRIMARY_KEY_LABEL, null);
}

export interface IssuedToken {
  readonly id: string;
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/** A new access token for a tenant; undefined when the tenant does not exist. */
export async function issueAccessToken(
  deps: CoreDeps,
  tenantId: string,
  scopes: readonly LuminScope[],
  ttlSeconds: number,
  label: string,
): Promise<IssuedToken | undefined> {
  const id = deps.ids.next('key');
  const lookup = deps.ids.secret(9);
  const secret = deps.ids.secret(24);
  const added = await addCredential(deps, tenantId, {
    id,
    kind: LUMIN_TOKEN_KIND,
    lookup,
    secretHash: hashSecret(secret),
    scopes: [...scopes],
    label,
    expiresAt: deps.clock.now() + ttlSeconds * 1000,
    sealedSecret: null,
  });
  if (!added) return undefined;
  return {
    id,
    access_token: `lmt_${lookup}.${secret}`,
    token_type: 'Bearer',
    expires_in: ttlSeconds,
    scope: scopes.join(' '),
  };
}

/** A new OAuth app (client credentials) allowed every Lumin scope; undefined when the tenant does not exist. */
export async function registerApp(
  deps: CoreDeps,
  tenantId: string,
  label: string | null,
): Promise<{ id: string; client_id: string; client_secret: string; scope: string } | undefined> {
  const id = deps.ids.next('key');
  const lookup = deps.ids.secret(9);
  const secret = deps.ids.secret(32);
  const added = await addCredential(deps, tenantId, {
    id,
    kind: LUMIN_APP_KIND,
    lookup,
    secretHash: hashSecret(secret),
    scopes: [...LUMIN_SCOPES],
    label,
    expiresAt: null,
    sealedSecret: null,
  });
  if (!added) return undefined;
  return { id, client_id: `lma_${lookup}`, client_secret: secret, scope: LUMIN_SCOPES.join(' ') };
}

/** The lookup part (not secret) of a presented API key or access token, namespaced by kind, if well-formed. */
export function luminCredentialLookup(kind: 'api_key' | 'token', presented: string): string | undefined {
  const lookup = (kind === 'api_key' ? KEY_PATTERN : TOKEN_PATTERN).exec(presented)?.[1];
  return lookup === undefined ? undefined : `${kind === 'api_key' ? LUMIN_API_KEY_KIND : LUMIN_TOKEN_KIND}:${lookup}`;
}

/** The lookup of an OAuth client_id (`lma_<lookup>`), namespaced, if well-formed. */
export function luminAppLookup(clientId: string): string | undefined {
  const lookup = CLIENT_ID_PATTERN.exec(clientId)?.[1];
  return lookup === undefined ? undefined : `${LUMIN_APP_KIND}:${lookup}`;
}

export async function verifyApiKey(deps: CoreDeps, presented: string): Promise<CredentialRecord | undefined> {
  const match = KEY_PATTERN.exec(presented);
  return match ? verifyCredential(deps, LUMIN_API_KEY_KIND, match[1]!, match[2]!) : undefined;
}

export async function verifyAccessToken(deps: CoreDeps, presented: string): Promise<CredentialRecord | undefined> {
  const match = TOKEN_PATTERN.exec(presented);
  return match ? verifyCredential(deps, LUMIN_TOKEN_KIND, match[1]!, match[2]!) : undefined;
}

export async function verifyAppClient(
  deps: CoreDeps,
  clientId: string,
  clientSecret: string,
): Promise<CredentialRecord | undefined> {
  const match = CLIENT_ID_PATTERN.exec(clientId);
  return match && clientSecret.length <= 256
    ? verifyCredential(deps, LUMIN_APP_KIND, match[1]!, clientSecret)
    : undefined;
}

/**
 * The key that signs the tenant's webhooks, in clear: its oldest live API key (the Primary until it
 * is revoked or expires, then the next oldest); undefined when it has none.
 */
export async function openPrimaryApiKey(
  deps: CoreDeps,
  sealer: SecretSealer,
  tenantId: string,
): Promise<string | undefined> {
  const now = deps.clock.now();
  const keys = await deps.store.read((tx) => tx.credentials.listForTenant(tenantId, LUMIN_API_KEY_KIND));
  const primary = keys.find((key) => credentialStatusOf(key, now) === 'active' && key.sealedSecret !== null);
  return primary ? sealer.open(primary.sealedSecret!, primary.id) : undefined;
}
