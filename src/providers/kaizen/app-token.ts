/**
 * KAiZEN app tokens, in the documented shape `01HQMDX-YCP019-Z2P3SX-QPSB53-8B4A3F-BC40B8-B10908-FB2FF4-A`.
 * The first three groups are the lookup (not secret: it finds the credential), the next five the
 * secret (30 Crockford base32 characters, 150 bits, stored only as its sha256), and the last
 * character a format version. Tokens are matched case-insensitively (Crockford has no I, L, O, U).
 */
import type { CoreDeps, CredentialRecord, IdGenerator } from '../../core/ports.js';
import { hashSecret } from '../../core/secrets.js';
import type { NewCredential } from '../../core/use-cases/manage-tenants.js';
import { verifyCredential } from '../../core/use-cases/manage-tenants.js';

export const APP_TOKEN_KIND = 'kaizen_app_token';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORMAT_VERSION = 'A';
const TOKEN_PATTERN = /^([0-9A-Z]{7}-[0-9A-Z]{6}-[0-9A-Z]{6})-([0-9A-Z]{6}(?:-[0-9A-Z]{6}){4})-A$/;

/** `count` random Crockford characters; 32 divides 256, so taking 5 bits of a byte is unbiased. */
function randomCrockford(ids: IdGenerator, count: number): string {
  const bytes = Buffer.from(ids.secret(count), 'base64url');
  return [...bytes].map((byte) => CROCKFORD[byte & 31]).join('');
}

function groups(text: string, sizes: readonly number[]): string {
  let offset = 0;
  return sizes.map((size) => text.slice(offset, (offset += size))).join('-');
}

export interface IssuedAppToken {
  readonly token: string;
  readonly credential: NewCredential;
}

export function issueAppToken(ids: IdGenerator, label: string, expiresAt: number | null = null): IssuedAppToken {
  const lookup = groups(randomCrockford(ids, 19), [7, 6, 6]);
  const secret = groups(randomCrockford(ids, 30), [6, 6, 6, 6, 6]);
  return {
    token: `${lookup}-${secret}-${FORMAT_VERSION}`,
    credential: {
      id: ids.next('key'),
      kind: APP_TOKEN_KIND,
      lookup,
      secretHash: hashSecret(secret),
      scopes: ['read', 'write'],
      label,
      expiresAt,
      sealedSecret: null,
    },
  };
}

/** The lookup part (the first three groups, not secret) of a presented appToken, namespaced, if well-formed. */
export function appTokenLookup(presented: unknown): string | undefined {
  if (typeof presented !== 'string' || presented.length > 100) return undefined;
  const lookup = TOKEN_PATTERN.exec(presented.trim().toUpperCase())?.[1];
  return lookup === undefined ? undefined : `${APP_TOKEN_KIND}:${lookup}`;
}

/** The live credential behind a presented appToken, or undefined (malformed, unknown, revoked, expired, wrong). */
export async function authenticateAppToken(deps: CoreDeps, presented: unknown): Promise<CredentialRecord | undefined> {
  if (typeof presented !== 'string' || presented.length > 100) return undefined;
  const match = TOKEN_PATTERN.exec(presented.trim().toUpperCase());
  if (!match) return undefined;
  return verifyCredential(deps, APP_TOKEN_KIND, match[1]!, match[2]!);
}
