/**
 * Countersign's own Singpass "Sign" key: the ES256 key that signs the success webhook's token, the
 * one relying parties check against our JWKS (`/singpass/.well-known/keys.json`, in place of
 * https://static.staging.sign.singpass.gov.sg/.well-known/keys.json).
 *
 * Derived from the server key (HKDF, then the P-256 public point), not stored: every process that
 * shares the data dir's server key signs with the same key and publishes the same JWKS, and
 * nothing needs generating, sealing or rotating apart from the server key itself.
 */
import { createECDH, createPrivateKey, hkdfSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

export interface SingpassSignKey {
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** What the JWKS publishes: kty, crv, x, y, kid, use "sig", alg ES256. */
  readonly publicJwk: JWK;
}

/** The order of the P-256 group: a private scalar must lie in [1, n - 1]. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

const derived = new WeakMap<Uint8Array, Promise<SingpassSignKey>>();

/** The key for this server (`linkKey` is the core's signing-link key, itself derived from the server key). */
export function singpassSignKey(linkKey: Uint8Array): Promise<SingpassSignKey> {
  let key = derived.get(linkKey);
  if (!key) {
    key = derive(linkKey);
    derived.set(linkKey, key);
  }
  return key;
}

async function derive(linkKey: Uint8Array): Promise<SingpassSignKey> {
  for (let counter = 0; ; counter += 1) {
    // A 256-bit HKDF output lands outside [1, n - 1] with odds of about 2^-32; the next counter is taken then.
    const scalar = Buffer.from(
      hkdfSync('sha256', linkKey, Buffer.alloc(0), `countersign:singpass-sign-key:${counter}`, 32),
    );
    const value = BigInt(`0x${scalar.toString('hex')}`);
    if (value === 0n || value >= P256_ORDER) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(scalar);
    const point = ecdh.getPublicKey(); // 0x04 || x || y
    const publicPart = {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    };
    const privateKey = createPrivateKey({ key: { ...publicPart, d: scalar.toString('base64url') }, format: 'jwk' });
    const kid = await calculateJwkThumbprint(publicPart);
    return { kid, privateKey, publicJwk: { ...publicPart, kid, use: 'sig', alg: 'ES256' } };
  }
}
