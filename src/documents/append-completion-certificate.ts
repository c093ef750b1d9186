/**
 * The completion certificate: a page after the signed document saying what was signed (the
 * original upload's SHA-256), by whom, when, from where, and which audit chain records it.
 */
import { CertificateWriter } from './certificate-page.js';
import { formatUtc, openForUpdate, saveUpdate } from './update-pdf.js';

export interface SignerEvidence {
  readonly name: string;
  readonly email: string | null;
  readonly signedAt: number | Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface CompletionFacts {
  readonly requestId: string;
  readonly title: string;
  /** Lowercase hex SHA-256 of the document as uploaded (before any stamp). */
  readonly documentSha256: string;
  readonly signers: readonly SignerEvidence[];
  readonly completedAt: number | Date;
  /** The hash of the request's last audit event at completion: the head of its hash chain. */
  readonly auditChainHash: string;
  /** When the seal is applied; the seal's own signing time says the same. */
  readonly sealedAt: number | Date;
}

export async function appendCompletionCertificate(bytes: Uint8Array, facts: CompletionFacts): Promise<Uint8Array> {
  const pdf = await openForUpdate(bytes);
  const writer = new CertificateWriter(pdf, 'Completion certificate');
  writeDocumentSection(writer, facts);
  writer.row(['Completed', formatUtc(facts.completedAt)]);
  writer.section(`Signers (${facts.signers.length})`);
  writeSigners(writer, facts.signers);
  writer.section('Audit trail');
  writer.row(['Audit chain hash', facts.auditChainHash, 'mono']);
  writer.paragraph(
    'The hash of the last event of this request\'s audit trail when it completed. Each event includes the hash of the one before it, so this value commits to the whole trail; "countersign audit verify" checks it.',
  );
  writeSealSection(writer, facts.sealedAt);
  return saveUpdate(pdf);
}

export function writeDocumentSection(
  writer: CertificateWriter,
  facts: { requestId: string; title: string; documentSha256: string },
): void {
  writer.section('Document');
  writer.row(['Title', facts.title]);
  writer.row(['Request', facts.requestId, 'mono']);
  writer.row(['Original SHA-256', facts.documentSha256, 'mono']);
}

export function writeSigners(writer: CertificateWriter, signers: readonly SignerEvidence[]): void {
  signers.forEach((signer, index) => {
    if (index > 0) writer.gap();
    writer.row([`${index + 1}. Name`, signer.name]);
    writer.row(['Email', signer.email ?? 'none (signed through a link)']);
    writer.row(['Signed at', formatUtc(signer.signedAt)]);
    writer.row(['IP address', signer.ip ?? 'not recorded']);
    writer.row(['User agent', signer.userAgent ?? 'not recorded']);
  });
}

export function writeSealSection(writer: CertificateWriter, sealedAt: number | Date): void {
  writer.section('Seal');
  writer.row(['Sealed at', formatUtc(sealedAt)]);
  writer.paragraph(
    'The whole file, this page included, is sealed with a PAdES digital signature of this Countersign server. Any change made after sealing invalidates the seal; a PDF reader shows its state in its signature panel.',
  );
}
