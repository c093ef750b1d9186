/**
 * PDF utilities for uploaded documents: validate an upload (`inspectPdf`), decode a base64 upload
 * strictly (`decodeBase64Document`), and stamp a cancelled request's document VOID (`stampVoid`).
 * Standalone: no database, no HTTP framework.
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
  StandardFonts,
  decodePDFRawStream,
  degrees,
  rgb,
  type PDFContext,
  type PDFFont,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';

export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * Why a document was refused. Closed list:
 * - `not_pdf`: the bytes do not start with `%PDF-` (this includes empty input);
 * - `unreadable`: the structure cannot be parsed, is truncated (no final `%%EOF`) or inconsistent;
 * - `encrypted`: the document is password-protected or otherwise encrypted;
 * - `empty`: the document has no pages;
 * - `too_large`: above the size limit, or an internal stream inflates beyond its budget;
 * - `bad_base64`: the upload is not strict base64 (see `decodeBase64Document`).
 */
export const INVALID_DOCUMENT_REASONS = [
  'not_pdf',
  'unreadable',
  'encrypted',
  'empty',
  'too_large',
  'bad_base64',
] as const;
export type InvalidDocumentReason = (typeof INVALID_DOCUMENT_REASONS)[number];

export class InvalidDocumentError extends Error {
  override readonly name = 'InvalidDocumentError';
  readonly reason: InvalidDocumentReason;

  constructor(reason: InvalidDocumentReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

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
async function loadValidDocument(bytes: Uint8Array, maxBytes: number): Promise<PDFDocument> {
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
    throw new InvalidDocumentError('unreadable', 'The PDF does not end with %%EOF: it is truncated or has trailing data.');
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
      throw new InvalidDocumentError('encrypted', 'The PDF is encrypted; upload it without a password.', { cause: error });
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
  type DocumentConstructor = new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;
  const Document = PDFDocument as unknown as DocumentConstructor;
  return new Document(context, true, false);
}

// ---------------------------------------------------------------------------------------------
// Strict base64

const DATA_URL_PREFIX = 'data:application/pdf;base64,';
const BASE64_VALUE = buildBase64ValueTable();

/**
 * Decodes a base64 upload without Buffer.from's leniency (it silently drops invalid characters and
 * ignores bad padding, so a corrupted upload would become a different, corrupt document).
 * Accepts: the standard or the URL-safe alphabet (not both in one text), an optional
 * `data:application/pdf;base64,` prefix (case-insensitive), ASCII whitespace anywhere, and missing
 * padding. Refuses with `bad_base64`: any other character, `=` anywhere but the end, wrong padding,
 * an impossible length, and non-zero unused bits in the last character (a non-canonical encoding).
 * The decoded size is computed and checked against `maxBytes` (`too_large`) before allocating.
 */
export function decodeBase64Document(text: string, maxBytes: number = DEFAULT_MAX_DOCUMENT_BYTES): Uint8Array {
  assertPositiveInteger(maxBytes, 'maxBytes');
  let start = 0;
  while (start < text.length && isAsciiWhitespace(text.charCodeAt(start))) start++;
  if (text.slice(start, start + DATA_URL_PREFIX.length).toLowerCase() === DATA_URL_PREFIX) {
    start += DATA_URL_PREFIX.length;
  }

  let significantCount = 0;
  let paddingCount = 0;
  let lastValue = 0;
  let hasWhitespace = false;
  let usesStandardAlphabet = false;
  let usesUrlAlphabet = false;
  for (let index = start; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isAsciiWhitespace(code)) {
      hasWhitespace = true;
      continue;
    }
    if (code === 0x3d /* = */) {
      paddingCount++;
      continue;
    }
    const value = code < 128 ? (BASE64_VALUE[code] ?? -1) : -1;
    if (value === -1) throw badBase64(`invalid character at position ${index}`);
    if (paddingCount > 0) throw badBase64('data after padding');
    if (code === 0x2b || code === 0x2f) usesStandardAlphabet = true; // + /
    if (code === 0x2d || code === 0x5f) usesUrlAlphabet = true; // - _
    significantCount++;
    lastValue = value;
  }

  if (usesStandardAlphabet && usesUrlAlphabet) throw badBase64('mixes the standard and URL-safe alphabets');
  const remainder = significantCount % 4;
  if (remainder === 1) throw badBase64('impossible length');
  if (paddingCount > 0 && (remainder === 0 || remainder + paddingCount !== 4)) throw badBase64('wrong padding');
  // The last character of a 2- or 3-character group carries 4 or 2 unused bits, which must be zero.
  if ((remainder === 2 && (lastValue & 0x0f) !== 0) || (remainder === 3 && (lastValue & 0x03) !== 0)) {
    throw badBase64('non-zero unused bits in the last character');
  }

  const decodedLength = Math.floor((significantCount * 3) / 4);
  if (decodedLength > maxBytes) {
    throw new InvalidDocumentError('too_large', `The document is ${decodedLength} bytes; the limit is ${maxBytes}.`);
  }
  const compact = text.slice(start);
  const characters = hasWhitespace ? compact.replace(/[\t\n\f\r ]+/g, '') : compact;
  // Validated above, so Node's decoder (which reads both alphabets) has nothing left to forgive.
  const decoded = new Uint8Array(decodedLength);
  const written = Buffer.from(decoded.buffer).write(characters, 'base64');
  if (written !== decodedLength) throw new Error(`base64 decoded to ${written} bytes, expected ${decodedLength}`);
  return decoded;
}

function buildBase64ValueTable(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let index = 0; index < alphabet.length; index++) table[alphabet.charCodeAt(index)] = index;
  table[0x2b] = table[0x2d] = 62; // + and -
  table[0x2f] = table[0x5f] = 63; // / and _
  return table;
}

function isAsciiWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

function badBase64(detail: string): InvalidDocumentError {
  return new InvalidDocumentError('bad_base64', `The document is not valid base64: ${detail}.`);
}

// ---------------------------------------------------------------------------------------------
// VOID stamp

export interface StampVoidOptions {
  /** The large diagonal word. Default `VOID`. */
  label?: string;
  /** A small line at the foot of every page, e.g. "Cancelled 2026-11-21 by alice@example.com: reason". */
  note?: string;
}

const STAMP_COLOR = rgb(0.8, 0.1, 0.1);
const NOTE_FONT_SIZE = 8;
const NOTE_MAX_LINES = 3;

/**
 * Returns a copy of the document with the label drawn large, diagonal and semi-transparent across
 * every page, and the note (wrapped onto at most three lines) at the foot of every page, both
 * upright as the page is displayed (its /Rotate and crop box are honoured). The input is not
 * modified. The copy is rewritten in full, so any digital signature in the input no longer
 * verifies on it, which suits a voided document.
 *
 * Text uses the standard Helvetica fonts (nothing to embed), which cover Latin-1 (WinAnsi) only:
 * other characters are drawn as `?`. A Unicode font would need @pdf-lib/fontkit and a font file.
 */
export async function stampVoid(bytes: Uint8Array, options: StampVoidOptions = {}): Promise<Uint8Array> {
  const document = await loadValidDocument(bytes, Number.POSITIVE_INFINITY);
  const labelFont = await document.embedFont(StandardFonts.HelveticaBold);
  const noteFont = await document.embedFont(StandardFonts.Helvetica);
  const label = toDrawableText(options.label ?? '', labelFont) || 'VOID';
  const note = toDrawableText(options.note ?? '', noteFont);

  try {
    for (const page of document.getPages()) {
      const frame = displayFrame(page);
      drawDiagonalLabel(page, frame, label, labelFont);
      if (note) drawFooterNote(page, frame, note, noteFont);
    }
    // No object streams: the copy stays readable by PDF 1.4 readers whatever its header says.
    return await document.save({ useObjectStreams: false, updateFieldAppearances: false });
  } catch (error) {
    // loadValidDocument checks what drawing needs, so this is a damage we did not foresee.
    throw new InvalidDocumentError('unreadable', 'The PDF cannot be stamped.', { cause: error });
  }
}

/**
 * A page as displayed: its width and height after /Rotate, and a map from display coordinates
 * (origin at the bottom left of what the reader sees) to the page's own user space.
 */
interface DisplayFrame {
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  toUserSpace(x: number, y: number): { x: number; y: number };
}

function displayFrame(page: PDFPage): DisplayFrame {
  const box = readVisibleBox(page);
  const rotation = normalizeRotation(page.getRotation().angle);
  const { x: left, y: bottom, width, height } = box;
  // /Rotate turns the page clockwise for display; these invert that turn for each quarter.
  const toUserSpace = {
    0: (x: number, y: number) => ({ x: left + x, y: bottom + y }),
    90: (x: number, y: number) => ({ x: left + width - y, y: bottom + x }),
    180: (x: number, y: number) => ({ x: left + width - x, y: bottom + height - y }),
    270: (x: number, y: number) => ({ x: left + y, y: bottom + height - x }),
  }[rotation];
  const isSideways = rotation === 90 || rotation === 270;
  return { width: isSideways ? height : width, height: isSideways ? width : height, rotation, toUserSpace };
}

/** The crop box (what readers show), normalised so that width and height are positive. */
function readVisibleBox(page: PDFPage): { x: number; y: number; width: number; height: number } {
  const box = page.getCropBox();
  const x = Math.min(box.x, box.x + box.width);
  const y = Math.min(box.y, box.y + box.height);
  const width = Math.abs(box.width);
  const height = Math.abs(box.height);
  if (![x, y, width, height].every(Number.isFinite) || width === 0 || height === 0) {
    throw new Error(`unusable page box ${JSON.stringify(box)}`);
  }
  return { x, y, width, height };
}

/** Readers ignore a /Rotate that is not a multiple of 90, as we do. */
function normalizeRotation(angle: number): DisplayFrame['rotation'] {
  if (!Number.isInteger(angle) || angle % 90 !== 0) return 0;
  return (((angle % 360) + 360) % 360) as DisplayFrame['rotation'];
}

function drawDiagonalLabel(page: PDFPage, frame: DisplayFrame, label: string, font: PDFFont): void {
  const angle = Math.atan2(frame.height, frame.width); // corner to corner
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const widthPerPoint = font.widthOfTextAtSize(label, 1);
  const heightPerPoint = font.heightAtSize(1, { descender: false });
  // The largest size whose rotated bounding box fits in 90% of the page either way.
  const size = Math.min(
    (0.9 * frame.width) / (widthPerPoint * cos + heightPerPoint * sin),
    (0.9 * frame.height) / (widthPerPoint * sin + heightPerPoint * cos),
  );
  // drawText places the start of the baseline; step back half the text from the page's centre.
  const halfWidth = (widthPerPoint * size) / 2;
  const halfHeight = (heightPerPoint * size) / 2;
  const origin = frame.toUserSpace(
    frame.width / 2 - (halfWidth * cos - halfHeight * sin),
    frame.height / 2 - (halfWidth * sin + halfHeight * cos),
  );
  page.drawText(label, {
    ...origin,
    size,
    font,
    color: STAMP_COLOR,
    opacity: 0.3,
    rotate: degrees((angle * 180) / Math.PI + frame.rotation),
  });
}

function drawFooterNote(page: PDFPage, frame: DisplayFrame, note: string, font: PDFFont): void {
  const margin = Math.min(18, 0.05 * Math.min(frame.width, frame.height));
  const lineHeight = NOTE_FONT_SIZE * 1.25;
  const lines = wrapText(note, font, NOTE_FONT_SIZE, frame.width - 2 * margin, NOTE_MAX_LINES);
  const rotate = degrees(frame.rotation);
  // A light backing so the note stays legible over whatever the page has at its foot.
  page.drawRectangle({
    ...frame.toUserSpace(margin / 2, margin / 2),
    width: frame.width - margin,
    height: lines.length * lineHeight + margin / 2,
    color: rgb(1, 1, 1),
    opacity: 0.8,
    rotate,
  });
  lines.forEach((line, index) => {
    const baseline = margin + (lines.length - 1 - index) * lineHeight;
    page.drawText(line, { ...frame.toUserSpace(margin, baseline), size: NOTE_FONT_SIZE, font, color: STAMP_COLOR, rotate });
  });
}

/** Greedy word wrap; a word wider than a line is cut; past `maxLines` the last line ends in "...". */
function wrapText(text: string, font: PDFFont, size: number, maxWidth: number, maxLines: number): string[] {
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    for (const character of word) {
      if (current && !fits(current + character)) {
        lines.push(current);
        current = '';
      }
      current += character;
    }
    if (lines.length > maxLines) break; // the rest would be cut anyway
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = `${kept[maxLines - 1] ?? ''}...`;
  while (!fits(last) && last.length > 3) last = `${last.slice(0, -4)}...`;
  kept[maxLines - 1] = last;
  return kept;
}

/** One line of text the font can encode: NFC, control characters as spaces, the rest as `?`. */
function toDrawableText(text: string, font: PDFFont): string {
  const encodable = new Set(font.getCharacterSet());
  let result = '';
  // Three footer lines hold a few hundred characters; the cap bounds the work on a huge note.
  for (const character of text.slice(0, 1000).normalize('NFC')) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (/\s|\p{Cc}/u.test(character)) result += ' ';
    else result += encodable.has(codePoint) ? character : '?';
  }
  return result.replace(/ +/g, ' ').trim();
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

function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
