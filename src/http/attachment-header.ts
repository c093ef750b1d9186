/**
 * The Content-Disposition of every download (native document and VOID copy, Singpass signed
 * document): the original file name survives, whatever its script. RFC 6266 with RFC 8187:
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`, built by the
 * content-disposition package, so the header is ASCII-only on the wire (Node refuses anything
 * else) and clients that read filename* get the name exactly.
 */
import { create } from 'content-disposition';

/** Path separators and control characters are never part of a downloaded file's name. */
function safeName(filename: string): string {
  return filename.replace(/[\\/\x00-\x1f\x7f]/g, '_');
}

/** For clients that only read `filename`: accents dropped (ü -> u), anything else non-ASCII as `_`. */
function asciiFallback(filename: string): string {
  return filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}

export function attachmentHeader(filename: string): string {
  const name = safeName(filename);
  return create(name, { fallback: asciiFallback(name) });
}
