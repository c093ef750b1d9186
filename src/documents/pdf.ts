/**
 * PDF utilities for uploaded documents: validate an upload (`inspectPdf`), decode a base64 upload
 * strictly (`decodeBase64Document`), and stamp a cancelled request's document VOID (`stampVoid`).
 * Standalone: no database, no HTTP framework.
 */
export * from './document-errors.js';
export { decodeBase64Document } from './decode-base64-document.js';
export { inspectPdf, type InspectPdfOptions, type PdfInspection } from './inspect-pdf.js';
export { stampVoid, type StampVoidOptions } from './stamp-void.js';
