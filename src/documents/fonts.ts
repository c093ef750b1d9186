/**
 * The fonts drawn into signed documents: DejaVu (the `dejavu-fonts-ttf` package), embedded and
 * subsetted, so every reader shows the same glyphs. DejaVu covers every Latin script (Latin-1,
 * Extended-A and -B, Vietnamese), Greek, Cyrillic, Armenian, Georgian and Hebrew; it has no CJK,
 * Indic or Thai glyphs. A character the font lacks is drawn as `?` (see `drawableText`): the exact
 * names stay in the audit trail, and a font for those scripts (Noto CJK alone is ~16 MB) is not shipped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EmbeddedFont, PDF } from '@libpdf/core';

const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
  /** Typed signatures: an italic serif reads as handwriting better than the sans. */
  signature: 'DejaVuSerif-Italic.ttf',
} as const;

export type FontRole = keyof typeof FONT_FILES;
export type DocumentFonts = Record<FontRole, EmbeddedFont>;

const resolveFromHere = createRequire(import.meta.url);
const fontBytes = new Map<FontRole, Uint8Array>();

/** Read once per process (a few hundred KB each); each document embeds only the glyphs it uses. */
function bytesOf(role: FontRole): Uint8Array {
  let bytes = fontBytes.get(role);
  if (!bytes) {
    bytes = readFileSync(resolveFromHere.resolve(`dejavu-fonts-ttf/ttf/${FONT_FILES[role]}`));
    fontBytes.set(role, bytes);
  }
  return bytes;
}

/** Embeds the fonts a page needs into the document; save with `subsetFonts: true`. */
export function embedFonts<Role extends FontRole>(pdf: PDF, roles: readonly Role[]): Pick<DocumentFonts, Role> {
  return Object.fromEntries(roles.map((role) => [role, pdf.embedFont(bytesOf(role))])) as Pick<DocumentFonts, Role>;
}

/**
 * One line the font can draw: NFC (so "e" + combining acute becomes the "é" glyph), controls and
 * line breaks as spaces, each character without a glyph as `?`, at most `maxLength` characters.
 */
export function drawableText(text: string, font: EmbeddedFont, maxLength = 500): string {
  let result = '';
  for (const character of [...text.normalize('NFC')].slice(0, maxLength)) {
    if (/\s|\p{Cc}/u.test(character)) result += ' ';
    else result += font.canEncode(character) ? character : '?';
  }
  return result.replace(/ +/g, ' ').trim();
}
