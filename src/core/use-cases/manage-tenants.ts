/**
 * Tenants and their credentials. A credential is `<prefix>_<lookup>_<secret>`-shaped for native
 * keys; only the sha256 of the secret part is stored, and the whole key is shown once.
 */
import type { Scope, Tenant } from '../model.js';
import type { CoreDeps, CredentialRecord, IdGenerator, Tx } from '../ports.js';
import { hashSecret, secretMatches } from '../secrets.js';

export const NATIVE_KEY_KIND = 'native_api_key';
const NATIVE_KEY_PREFIX = 'csk';

export interface IssuedKey {
  readonly id: string;
  /** The full key: shown once, never stored. */
  readonly key: string;
  readonly scopes: readonly Scope[];
}

/** A credential to create with a tenant; the caller (a provider surface) chose its format. */
export type NewCredential = Omit<CredentialRecord, 'tenantId' | 'createdAt' | 'revokedAt'>;

/**
 * Creates a tenant with its first native key (all scopes) and, in the same transaction,
 * whatever credentials the provider surfaces issue to a new tenant.
 */
export async function createTenant(
  deps: CoreDeps,
  name: string,
  extraCredentials: readonly NewCredential[] = [],
): Promise<{ tenant: Tenant; apiKey: IssuedKey }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const tenant: Tenant = { id: deps.ids.next('ten'), name, createdAt: now };
    await tx.tenants.insert(tenant);
    const apiKey = await issueNativeKey(tx, deps, tenant.id, ['read', 'write', 'admin'], 'default', now);
    for (const credential of extraCredentials)
      await tx.credentials.insert({ ...credential, tenantId: tenant.id, createdAt: now, revokedAt: null });
    return { tenant, apiKey };
  });
}

/** Adds a credential to an existing tenant (e.g. a Lumin OAuth token); false when the tenant is unknown. */
export async function addCredential(deps: CoreDeps, tenantId: string, credential: NewCredential): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    if (!(await tx.tenants.get(tenantId))) return false;
    await tx.credentials.insert({ ...credential, tenantId, createdAt: now, revokedAt: null });
    return true;
  });
}

/** A new native key in its format `csk_<lookup>.<secret>`; only the sha256 of the secret is kept. */
export function mintNativeKey(
  ids: IdGenerator,
  scopes: readonly Scope[],
  label: string | null,
  expiresAt: number | null,
): { credential: NewCredential; key: string } {
  const lookup = ids.secret(9);
  const secret = ids.secret(24);
  return {
    key: `${NATIVE_KEY_PREFIX}_${lookup}.${secret}`,
    credential: {
      id: ids.next('key'),
      kind: NATIVE_KEY_KIND,
      lookup,
      secretHash: hashSecret(secret),
      scopes: [...scopes],
      label,
      expiresAt,
      sealedSecret: null,
    },
  };
}

async function issueNativeKey(
  tx: Tx,
  deps: CoreDeps,
  tenantId: string,
  scopes: readonly Scope[],
  label: string | null,
  now: number,
): Promise<IssuedKey> {
  const { credential, key } = mintNativeKey(deps.ids, scopes, label, null);
  await tx.credentials.insert({ ...credential, tenantId, createdAt: now, revokedAt: null });
  return { id: credential.id, key, scopes };
}

/**
 * Finds the live credential for `kind` whose lookup part is `lookup` and whose secret matches
 * (constant time). Unknown, revoked, expired and wrong secrets are all simply "no".
 */
export async function verifyCredential(
  deps: CoreDeps,
  kind: string,
  lookup: string,
  secret: string,
): Promise<CredentialRecord | undefined> {
  const now = deps.clock.now();
  const record = await deps.store.read((tx) => tx.credentials.findByLookup(kind, lookup));
  // Hash even when nothing was found, so that timing does not tell "unknown" from "wrong secret".
  const matches = secretMatches(secret, record?.secretHash ?? '0'.repeat(64));
  if (!record || !matches || record.revokedAt !== null || (record.expiresAt !== null && record.expiresAt <= now))
    return undefined;
  return record;
}

const NATIVE_KEY_PATTERN = /^csk_([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{16,64})$/;

/** The lookup part of a presented native key (not secret: it only finds the record), if well-formed. */
export function nativeKeyLookup(presented: string): string | undefined {
  return NATIVE_KEY_PATTERN.exec(presented)?.[1];
}

/** Parses `csk_<lookup>.<secret>` and verifies it. */
export async function authenticateNativeKey(deps: CoreDeps, presented: string): Promise<CredentialRecord | undefined> {
  const match = NATIVE_KEY_PATTERN.exec(presented);
  if (!match) return undefined;
  return verifyCredential(deps, NATIVE_KEY_KIND, match[1]!, match[2]!);
}
