/**
 * Auco's two keys, sent raw in `Authorization` (no scheme): `prk_…` (private) for writes and
 * `puk_…` (public) for reads. Ours are `prk_<16 hex lookup><48 hex secret>`: the lookup finds the
 * credential, only the sha256 of the secret is stored. The private key may also read.
 */
import type { FastifyRequest } from 'fastify';
import type { AuthThrottle } from '../../http/throttle/auth-throttle.js';
import { CoreError } from '../../core/errors.js';
import type { CoreDeps, CredentialRecord, IdGenerator } from '../../core/ports.js';
import { hashSecret } from '../../core/secrets.js';
import { verifyCredential, type NewCredential } from '../../core/use-cases/manage-tenants.js';

export const PRIVATE_KEY_KIND = 'auco_private';
export const PUBLIC_KEY_KIND = 'auco_public';
const KEY_PATTERN = /^(prk|puk)_([0-9a-f]{16})([0-9a-f]{48})$/;

export type KeyUse = 'read' | 'write';

function randomHex(ids: IdGenerator, bytes: number): string {
  return Buffer.from(ids.secret(bytes), 'base64url').toString('hex');
}

export function issueKey(
  ids: IdGenerator,
  prefix: 'prk' | 'puk',
  label?: string | null,
  expiresAt: number | null = null,
): { key: string; credential: NewCredential } {
  const lookup = randomHex(ids, 8);
  const secret = randomHex(ids, 24);
  const isPrivate = prefix === 'prk';
  return {
    key: `${prefix}_${lookup}${secret}`,
    credential: {
      id: ids.next('key'),
      kind: isPrivate ? PRIVATE_KEY_KIND : PUBLIC_KEY_KIND,
      lookup,
      secretHash: hashSecret(secret),
      scopes: isPrivate ? ['read', 'write'] : ['read'],
      label: label ?? (isPrivate ? 'Auco private key' : 'Auco public key'),
      expiresAt,
      sealedSecret: null,
    },
  };
}

export function issueKeyPair(ids: IdGenerator): {
  privateKey: string;
  publicKey: string;
  credentials: NewCredential[];
} {
  const privateKey = issueKey(ids, 'prk');
  const publicKey = issueKey(ids, 'puk');
  return {
    privateKey: privateKey.key,
    publicKey: publicKey.key,
    credentials: [privateKey.credential, publicKey.credential],
  };
}

/**
 * The credential behind the request's key, allowed for `use`; a 401 (as Auco documents) otherwise.
 * Missing, malformed and wrong keys count for the throttle (address and the key's lookup part).
 */
export async function authenticateAucoKey(
  deps: CoreDeps,
  throttle: AuthThrottle,
  request: FastifyRequest,
  use: KeyUse,
): Promise<CredentialRecord> {
  // The documents send the key bare; a "Bearer " some HTTP clients add on their own is tolerated.
  const presented = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
  const match = KEY_PATTERN.exec(presented);
  const kind = match?.[1] === 'prk' ? PRIVATE_KEY_KIND : PUBLIC_KEY_KIND;
  return throttle.guard(request, match ? `${kind}:${match[2]}` : undefined, async () => {
    if (!match)
      throw new CoreError(
        'unauthorized',
        'Invalid or missing authentication: send your key in the Authorization header.',
      );
    if (use === 'write' && kind !== PRIVATE_KEY_KIND)
      throw new CoreError(
        'forbidden',
        'This operation needs the private key (prk_…); the public key (puk_…) only reads.',
      );
    const credential = await verifyCredential(deps, kind, match[2]!, match[3]!);
    if (!credential) throw new CoreError('unauthorized', 'Invalid or missing authentication: the key is not valid.');
    return credential;
  });
}
