/**
 * RFC 3161 timestamps for PAdES B-T, from the TSA the operator configured (COUNTERSIGN_TSA_URL).
 * The URL is operator configuration, not user input, so no address rules apply; but as every
 * outbound call here, it has one deadline for the whole exchange (headers and body) and follows no
 * redirect, and the token it returns must be for the digest we sent.
 */
import { timingSafeEqual } from 'node:crypto';
import { HttpTimestampAuthority } from '@libpdf/core';
import * as pkijs from 'pkijs';
import { SealingError } from './sealing-error.js';

export const DEFAULT_TSA_TIMEOUT_MS = 10_000;
const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** A DER TimeStampToken over `digest` (a SHA-256), or a `timestamp_failed` SealingError. */
export async function requestTimestamp(
  tsaUrl: string,
  digest: Uint8Array,
  timeoutMs = DEFAULT_TSA_TIMEOUT_MS,
): Promise<Uint8Array> {
  const fetchWithDeadline: typeof fetch = (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal, redirect: 'error' });
  };
  const authority = new HttpTimestampAuthority(tsaUrl, { timeout: timeoutMs, fetch: fetchWithDeadline });
  let token: Uint8Array;
  try {
    token = await authority.timestamp(digest, 'SHA-256');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SealingError('timestamp_failed', `The timestamp authority ${tsaUrl} gave no timestamp: ${detail}`, {
      cause: error,
    });
  }
  assertTokenCovers(token, digest, tsaUrl);
  return token;
}

/** The TSA must have stamped our digest: a token for anything else would make the seal invalid. */
function assertTokenCovers(token: Uint8Array, digest: Uint8Array, tsaUrl: string): void {
  let imprint: pkijs.MessageImprint;
  try {
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(token).content });
    const content = signedData.encapContentInfo.eContent;
    if (!content) throw new Error('the token has no content');
    imprint = pkijs.TSTInfo.fromBER(content.getValue()).messageImprint;
  } catch (error) {
    throw new SealingError('timestamp_failed', `The timestamp authority ${tsaUrl} answered with an unreadable token.`, {
      cause: error,
    });
  }
  const stamped = imprint.hashedMessage.getValue();
  const matches =
    imprint.hashAlgorithm.algorithmId === SHA256_OID &&
    stamped.byteLength === digest.byteLength &&
    timingSafeEqual(new Uint8Array(stamped), digest);
  if (!matches) {
    throw new SealingError('timestamp_failed', `The timestamp authority ${tsaUrl} stamped another digest than ours.`);
  }
}
