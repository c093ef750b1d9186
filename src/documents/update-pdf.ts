/**
 * Loading a stored document with @libpdf/core to add to it, and saving what was added as an
 * incremental update. Documents reach here after `inspectPdf` accepted them at upload.
 */
import { PDF } from '@libpdf/core';
import { InvalidDocumentError } from './document-errors.js';

export async function openForUpdate(bytes: Uint8Array): Promise<PDF> {
  let pdf: PDF;
  try {
    pdf = await PDF.load(bytes);
  } catch (error) {
    throw new InvalidDocumentError('unreadable', 'The PDF cannot be parsed.', { cause: error });
  }
  if (pdf.isEncrypted) throw new InvalidDocumentError('encrypted', 'The PDF is encrypted.');
  if (pdf.getPageCount() === 0) throw new InvalidDocumentError('empty', 'The PDF has no pages.');
  return pdf;
}

/**
 * Appends the changes as an incremental update: the bytes before it stay as they were, so the
 * original upload (whose SHA-256 the certificate page names) remains the file's first revision,
 * and a signature already in the upload still verifies. A file whose cross-reference data libpdf
 * had to rebuild is written whole instead: an update would point back at the broken table.
 * Fonts are subsetted to the glyphs drawn (DejaVu Sans whole is 740 KB).
 */
export async function saveUpdate(pdf: PDF): Promise<Uint8Array> {
  try {
    return await pdf.save({ incremental: !pdf.recoveredViaBruteForce, subsetFonts: true });
  } catch (error) {
    throw new InvalidDocumentError('unreadable', 'The PDF cannot be updated.', { cause: error });
  }
}

/** Times on stamps and certificates: UTC, to the second, the same for every reader. */
export function formatUtc(time: number | Date): string {
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
