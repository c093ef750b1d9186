/**
 * Signing-link tokens: `<signerId>.<HMAC(linkKey, signerId)>`. Nothing is stored, so the owner
 * can be shown each signer's link at any time, and a forged token fails the constant-time check.
 * A link dies with its request's state, not with a stored token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function mac(key: Uint8Array, signerId: string): Buffer {
  return createHmac('sha256', key).update(`signing-link:${signerId}`).digest();
}

export function signingToken(key: Uint8Array, signerId: string): string {
  return `${signerId}.${mac(key, signerId).toString('base64url')}`;
}

/** The signer's link as emails and every surface show it: the signing API on this server's public URL. */
export function signingUrl(publicUrl: string, key: Uint8Array, signerId: string): string {
  return `${publicUrl}/v1/signing/${signingToken(key, signerId)}`;
}

/** The signer id a token names, or undefined when the token is malformed or forged. */
export function signerIdFromToken(key: Uint8Array, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length > 200) return undefined;
  const signerId = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(key, signerId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? signerId : undefined;
}
