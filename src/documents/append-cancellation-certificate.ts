/**
 * The cancellation certificate on a VOID copy: who cancelled the request, when, why, who was told,
 * and the signatures it had received before.
 */
import { rgb } from '@libpdf/core';
import {
  writeDocumentSection,
  writeSealSection,
  writeSigners,
  type SignerEvidence,
} from './append-completion-certificate.js';
import { CertificateWriter } from './certificate-page.js';
import { formatUtc, openForUpdate, saveUpdate } from './update-pdf.js';

export interface CancellationFacts {
  readonly requestId: string;
  readonly title: string;
  /** Lowercase hex SHA-256 of the document as uploaded. */
  readonly documentSha256: string;
  /** Who cancelled (the cancel's actor, else the tenant's name). */
  readonly cancelledBy: string;
  readonly cancelledAt: number | Date;
  readonly reasonCode: string | null;
  /** The message to the signers. */
  readonly message: string | null;
  readonly notified: readonly { readonly name: string; readonly email: string | null }[];
  /** Signatures made before the cancellation (they are stamped on the copy too). */
  readonly signers: readonly SignerEvidence[];
  /** The head of the request's audit hash chain after the cancellation, when known. */
  readonly auditChainHash?: string | null;
  readonly sealedAt: number | Date;
}

export async function appendCancellationCertificate(bytes: Uint8Array, facts: CancellationFacts): Promise<Uint8Array> {
  const pdf = await openForUpdate(bytes);
  // "VOID" in the title: every page of a VOID copy says so, this one included.
  const writer = new CertificateWriter(pdf, 'VOID: cancellation certificate', rgb(0.8, 0.1, 0.1));
  writeDocumentSection(writer, facts);
  writer.section('Cancellation');
  writer.row(['Cancelled by', facts.cancelledBy]);
  writer.row(['Cancelled at', formatUtc(facts.cancelledAt)]);
  writer.row(['Reason code', facts.reasonCode ?? 'none given']);
  writer.row(['Message', facts.message ?? 'none']);
  writer.section(`Notified (${facts.notified.length})`);
  if (facts.notified.length === 0) writer.paragraph('Nobody was notified.');
  for (const person of facts.notified)
    writer.row(['Notified', person.email ? `${person.name} <${person.email}>` : person.name]);
  writer.section(`Signatures before the cancellation (${facts.signers.length})`);
  if (facts.signers.length === 0) writer.paragraph('Nobody had signed.');
  writeSigners(writer, facts.signers);
  if (facts.auditChainHash) {
    writer.section('Audit trail');
    writer.row(['Audit chain hash', facts.auditChainHash, 'mono']);
  }
  writeSealSection(writer, facts.sealedAt);
  return saveUpdate(pdf);
}
