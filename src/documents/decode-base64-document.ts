/** Strict base64 decoding of uploaded documents (Buffer.from silently drops what it cannot read). */
import { DEFAULT_MAX_DOCUMENT_BYTES, InvalidDocumentError, assertPositiveInteger } from './document-errors.js';

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
