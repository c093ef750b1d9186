/**
 * PDF utilities for uploaded documents: validate an upload (`inspectPdf`), decode a base64 upload
 * strictly (`decodeBase64Document`), stamp a cancelled request's document VOID (`stampVoid`), and
 * make the sealed documents: signatures stamped, certificate pages, the PAdES seal.
 * Standalone: no database, no HTTP framework.
 */
export * from './document-errors.js';
export { decodeBase64Document } from './decode-base64-document.js';
export { inspectPdf, type InspectPdfOptions, type PdfInspection } from './inspect-pdf.js';
export { stampVoid, type StampVoidOptions } from './stamp-void.js';
export {
  stampSignatures,
  PLACED_SIGNATURE_SIZE,
  type SignatureMark,
  type SignaturePlacement,
} from './stamp-signatures.js';
export {
  appendCompletionCertificate,
  type CompletionFacts,
  type SignerEvidence,
} from './append-completion-certificate.js';
export { appendCancellationCertificate, type CancellationFacts } from './append-cancellation-certificate.js';
export { sealPdf, SEAL_FIELD_NAME, type SealOptions } from './seal/seal-pdf.js';
export { sealCompletedDocument, sealVoidCopy, type Sealer } from './seal/seal-documents.js';
export {
  loadSealingIdentity,
  SEAL_FILE_NAME,
  type LoadSealingIdentityOptions,
  type SealingIdentity,
} from './seal/load-sealing-identity.js';
export { SealingError, SEALING_ERROR_REASONS, type SealingErrorReason } from './seal/sealing-error.js';
