/**
 * The two sealed documents a request can end with, each from the original upload and plain facts:
 * - completed: every signature stamped, the completion certificate, the seal;
 * - VOID copy (also the owner's copy mailed before a purge): the signatures made so far stamped,
 *   VOID on every page, the cancellation certificate, the seal.
 * Bytes in, bytes out: an outbox handler loads the facts and stores or mails the result.
 */
import { appendCancellationCertificate, type CancellationFacts } from '../append-cancellation-certificate.js';
import { appendCompletionCertificate, type CompletionFacts } from '../append-completion-certificate.js';
import { stampSignatures, type SignaturePlacement } from '../stamp-signatures.js';
import { stampVoid } from '../stamp-void.js';
import { formatUtc } from '../update-pdf.js';
import type { SealingIdentity } from './load-sealing-identity.js';
import { sealPdf } from './seal-pdf.js';

export interface Sealer {
  readonly identity: SealingIdentity;
  readonly tsaUrl?: string | undefined;
  readonly tsaTimeoutMs?: number;
}

export async function sealCompletedDocument(
  original: Uint8Array,
  input: { placements: readonly SignaturePlacement[]; facts: CompletionFacts },
  sealer: Sealer,
): Promise<Uint8Array> {
  const stamped = await stampSignatures(original, input.placements);
  const certified = await appendCompletionCertificate(stamped, input.facts);
  return sealPdf(certified, sealer.identity, {
    signingTime: new Date(input.facts.sealedAt),
    tsaUrl: sealer.tsaUrl,
    ...(sealer.tsaTimeoutMs ? { tsaTimeoutMs: sealer.tsaTimeoutMs } : {}),
    reason: 'Completed: signed by every signer',
  });
}

export async function sealVoidCopy(
  original: Uint8Array,
  input: { placements: readonly SignaturePlacement[]; facts: CancellationFacts },
  sealer: Sealer,
): Promise<Uint8Array> {
  const { facts } = input;
  const stamped = await stampSignatures(original, input.placements);
  const voided = await stampVoid(stamped, {
    note: `Cancelled ${formatUtc(facts.cancelledAt)} by ${facts.cancelledBy}`,
  });
  const certified = await appendCancellationCertificate(voided, facts);
  return sealPdf(certified, sealer.identity, {
    signingTime: new Date(facts.sealedAt),
    tsaUrl: sealer.tsaUrl,
    ...(sealer.tsaTimeoutMs ? { tsaTimeoutMs: sealer.tsaTimeoutMs } : {}),
    reason: 'Cancelled: VOID copy',
  });
}
