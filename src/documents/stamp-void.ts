/** The VOID stamp on a copy of a cancelled request's document. */
import { StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { InvalidDocumentError } from './document-errors.js';
import { loadValidDocument } from './inspect-pdf.js';
import { displayFrame, type DisplayFrame } from './page-frame.js';

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
    page.drawText(line, {
      ...frame.toUserSpace(margin, baseline),
      size: NOTE_FONT_SIZE,
      font,
      color: STAMP_COLOR,
      rotate,
    });
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
