/**
 * The seal: a PAdES signature of this server over the whole document (`ETSI.CAdES.detached`,
 * baseline B-B; B-T with an RFC 3161 timestamp when a TSA URL is given), appended as an
 * incremental update. Made with @libpdf/core (docs/adr/0013-sealed-pdfs.md), then made baseline
 * by `makeBaselineSignature`.
 */
import { InvalidDocumentError } from '../document-errors.js';
import { openForUpdate } from '../update-pdf.js';
import type { SealingIdentity } from './load-sealing-identity.js';
import { makeBaselineSignature } from './pades-signature.js';
import { DEFAULT_TSA_TIMEOUT_MS, requestTimestamp } from './request-timestamp.js';
import { SealingError } from './sealing-error.js';

export interface SealOptions {
  /** The seal's signing time (/M). Default: now. */
  readonly signingTime?: Date;
  /** An RFC 3161 timestamp authority (COUNTERSIGN_TSA_URL): the seal becomes B-T. */
  readonly tsaUrl?: string | undefined;
  readonly tsaTimeoutMs?: number;
  /** Shown by readers in the signature panel. */
  readonly reason?: string;
}

export const SEAL_FIELD_NAME = 'Countersign seal';

export async function sealPdf(
  bytes: Uint8Array,
  identity: SealingIdentity,
  options: SealOptions = {},
): Promise<Uint8Array> {
  const signingTime = options.signingTime ?? new Date();
  if (signingTime < identity.notBefore || signingTime > identity.notAfter) {
    throw new SealingError(
      'identity_expired',
      `The sealing certificate (${identity.subject}) expired on ${identity.notAfter.toISOString()}; configure another.`,
    );
  }
  const pdf = await openForUpdate(bytes);
  // Space for the CMS: certificates, signature and attributes, and a TSA's token with its own chain.
  const estimatedSize = 8192 + 2 * identity.certificateDer.byteLength + (options.tsaUrl ? 16_384 : 0);
  let signed: Uint8Array;
  try {
    ({ bytes: signed } = await pdf.sign({
      signer: identity.signer,
      level: 'B-B',
      signingTime,
      fieldName: SEAL_FIELD_NAME,
      estimatedSize,
      ...(options.reason ? { reason: options.reason } : {}),
    }));
  } catch (error) {
    throw new InvalidDocumentError('unreadable', 'The PDF cannot be sealed.', { cause: error });
  }
  const tsaUrl = options.tsaUrl;
  const timeout = options.tsaTimeoutMs ?? DEFAULT_TSA_TIMEOUT_MS;
  return makeBaselineSignature(
    signed,
    identity.signer,
    tsaUrl ? (digest) => requestTimestamp(tsaUrl, digest, timeout) : undefined,
  );
}
