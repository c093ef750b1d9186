/**
 * Validating an uploaded PDF (`inspectPdf`), and loading one safely for the other utilities.
 *
 * Uploads are hostile input, so parsing is bounded (see `BoundedPdfParser`). Measured with
 * pdf-lib 1.17.1's default options: a 200 KB file of unterminated streams took 17 s to parse
 * (quadratic recovery), and a 1 MiB file whose object stream inflates to 1 GiB took 8 s and 1 GB.
 */
import { createHash } from 'node:crypto';
import {
  PDFArray,
  PDFDocument,
  PDFName,
  PDFParser,
  PDFRawStream,
  ParseSpeeds,
  decodePDFRawStream,
  type PDFContext,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { displayFrame } from './page-frame.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, InvalidDocumentError, assertPositiveInteger } from './document-errors.js';

export interface PdfInspection {
  pageCount: number;
  /** Lowercase hex SHA-256 of the exact bytes inspected. */
  sha256: string;
  size: number;
}

export interface InspectPdfOptions {
  /** Largest accepted file, in bytes. Default `DEFAULT_MAX_DOCUMENT_BYTES` (10 MiB). */
  maxBytes?: number;
}

/** Validates an uploaded PDF and describes it; throws `InvalidDocumentError` when it is unusable. */
export async function inspectPdf(bytes: Uint8Array, options: InspectPdfOptions = {}): Promise<PdfInspection> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  assertPositiveInteger(maxBytes, 'maxBytes');
  const document = await loadValidDocument(bytes, maxBytes);
  return {
    pageCount: document.getPageCount(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.byteLength,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading and validation

const PDF_HEADER = asciiBytes('%PDF-');
const END_OF_FILE_MARKER = asciiBytes('%%EOF');
const ENCRYPT_KEY = asciiBytes('/Encrypt');
/** PDF whitespace (ISO 32000-1 table 1): NUL, tab, LF, FF, CR, space. */
const PDF_WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/**
 * Runs every check of `inspectPdf` and returns the parsed document. `maxBytes` is Infinity for
 * documents read back from our own storage, which were checked against the limit of their day.
 */
export async function loadValidDocument(bytes: Uint8Array, maxBytes: number): Promise<PDFDocument> {
  if (bytes.byteLength > maxBytes) {
    throw new InvalidDocumentError('too_large', `The document is ${bytes.byteLength} bytes; the limit is ${maxBytes}.`);
  }
  // The header must be at byte 0. Readers tolerate up to 1024 bytes of junk before it (and pdf-lib
  // would scan the whole file), but junk before the header, like junk after %%EOF, is how polyglot
  // files (valid as PDF and as HTML/ZIP/image at once) are built. What we hash, store and ask
  // people to sign must mean one thing, so we refuse both; the rare tool that prepends junk loses.
  if (!startsWith(bytes, PDF_HEADER)) {
    throw new InvalidDocumentError('not_pdf', 'The document is not a PDF: it does not start with %PDF-.');
  }
  // pdf-lib reads objects in file order and ignores the cross-reference table, so a truncated file
  // would load with its last pages silently missing. The spec ends a file with %%EOF: require it.
  if (!endsWithEndOfFileMarker(bytes)) {
    throw new InvalidDocumentError(
      'unreadable',
      'The PDF does not end with %%EOF: it is truncated or has trailing data.',
    );
  }

  const parser = new BoundedPdfParser(bytes);
  let document: PDFDocument;
  try {
    document = createDocument(await parser.parseDocument());
  } catch (error) {
    if (parser.budgetExceeded) {
      throw new InvalidDocumentError('too_large', 'A compressed stream in the PDF expands beyond the allowed size.');
    }
    // Encrypted object streams cannot be decoded without the key, so an encrypted file often fails
    // to parse before we can ask whether it is encrypted. An /Encrypt key anywhere is a good
    // enough hint to choose the message; the file is refused either way.
    if (indexOf(bytes, ENCRYPT_KEY) !== -1) {
      throw new InvalidDocumentError('encrypted', 'The PDF is encrypted; upload it without a password.', {
        cause: error,
      });
    }
    throw new InvalidDocumentError('unreadable', 'The PDF cannot be parsed.', { cause: error });
  }
  if (document.isEncrypted) {
    throw new InvalidDocumentError('encrypted', 'The PDF is encrypted; upload it without a password.');
  }
  assertPagesReadable(document);
  return document;
}

/**
 * Page count must be reachable and agree with the page tree's own /Count: pdf-lib skips a page
 * whose object is missing, which would otherwise hide damage. Every page must also have what the
 * VOID stamp relies on (a page box, a rotation, well-typed /Contents and /Resources), so that a
 * document accepted at upload can always be voided when its request is cancelled.
 */
function assertPagesReadable(document: PDFDocument): void {
  let pages: PDFPage[];
  let declaredCount: number;
  try {
    pages = document.getPages(); // a cyclic page tree overflows the stack here, and is caught
    declaredCount = document.catalog.Pages().Count().asNumber();
    for (const page of pages) {
      displayFrame(page);
      // What drawing does first. It throws on mistyped /Resources, but returns /Contents
      // unchecked, typed as an array, so check that one ourselves.
      const { Contents } = page.node.normalizedEntries();
      if (Contents !== undefined && !(Contents instanceof PDFArray)) throw new Error('page /Contents is not a stream');
    }
  } catch (error) {
    throw new InvalidDocumentError('unreadable', 'The PDF page tree is damaged.', { cause: error });
  }
  // A page object listed twice is invalid, and would multiply the work of stamping.
  if (new Set(pages).size !== pages.length) {
    throw new InvalidDocumentError('unreadable', 'The PDF page tree is damaged: a page is listed more than once.');
  }
  if (pages.length !== declaredCount) {
    throw new InvalidDocumentError(
      'unreadable',
      `The PDF page tree is damaged: it declares ${declaredCount} pages but ${pages.length} can be read.`,
    );
  }
  if (pages.length === 0) {
    throw new InvalidDocumentError('empty', 'The PDF has no pages.');
  }
}

/**
 * pdf-lib's parser with bounds that its options do not give:
 * - `throwOnInvalidObject`: pdf-lib's recovery from a broken object rescans to the end of the file,
 *   once per broken object (quadratic). We refuse a broken object instead of guessing around it.
 * - Object and cross-reference streams are the only streams pdf-lib inflates while loading, fully
 *   and synchronously. Before it does, we inflate each one ourselves, chunk by chunk, against a
 *   budget of 10× the file size (at least 4 MiB): they hold object dictionaries, which compress
 *   3-6×, never images. Over budget, the parse stops (pdf-lib catches our error, hence the flag).
 * - Yielding to the event loop every 1500 objects keeps a large parse from starving other requests.
 */
class BoundedPdfParser extends PDFParser {
  budgetExceeded = false;
  private remainingDecodeBudget: number;

  constructor(bytes: Uint8Array) {
    super(bytes, ParseSpeeds.Fast, /* throwOnInvalidObject */ true, /* capNumbers */ false);
    this.remainingDecodeBudget = Math.max(4 * 1024 * 1024, 10 * bytes.byteLength);
  }

  override parseObject(): PDFObject {
    const object = super.parseObject();
    if (object instanceof PDFRawStream && isInflatedWhileLoading(object)) this.chargeDecodedSize(object);
    return object;
  }

  private chargeDecodedSize(stream: PDFRawStream): void {
    const chunkSize = 1024 * 1024;
    const decoded = decodePDFRawStream(stream); // lazy: nothing is inflated until read
    for (;;) {
      const length = decoded.getBytes(chunkSize).length;
      this.remainingDecodeBudget -= length;
      if (this.remainingDecodeBudget < 0) {
        this.budgetExceeded = true;
        throw new InvalidDocumentError('too_large', 'A compressed stream expands beyond its budget.');
      }
      if (length < chunkSize) return;
    }
  }
}

function isInflatedWhileLoading(stream: PDFRawStream): boolean {
  // The same test pdf-lib applies right after parsing the object, so both see the same /Type.
  const type = stream.dict.lookup(PDFName.of('Type'));
  return type === PDFName.of('ObjStm') || type === PDFName.of('XRef');
}

/**
 * `PDFDocument.load` is `new PDFDocument(await PDFParser...parseDocument(), ignoreEncryption,
 * updateMetadata)` and offers no way to pass our parser, so we do the same. The constructor is
 * private in the typings; pdf-lib is pinned (1.17.1, unchanged since 2021) and every test loads
 * through here. `ignoreEncryption` lets us report `encrypted` ourselves; `updateMetadata: false`
 * leaves the author's metadata alone.
 */
function createDocument(context: PDFContext): PDFDocument {
  type DocumentConstructor = new (
    context: PDFContext,
    ignoreEncryption: boolean,
    updateMetadata: boolean,
  ) => PDFDocument;
  const Document = PDFDocument as unknown as DocumentConstructor;
  return new Document(context, true, false);
}

// ---------------------------------------------------------------------------------------------
// Bytes

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.byteLength >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function indexOf(bytes: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle);
}

/** True when the last non-whitespace bytes are `%%EOF`. */
function endsWithEndOfFileMarker(bytes: Uint8Array): boolean {
  let end = bytes.byteLength;
  while (end > 0 && PDF_WHITESPACE.has(bytes[end - 1] ?? -1)) end--;
  const start = end - END_OF_FILE_MARKER.length;
  return start >= 0 && END_OF_FILE_MARKER.every((byte, index) => bytes[start + index] === byte);
}
