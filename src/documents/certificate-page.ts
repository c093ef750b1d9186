/**
 * The layout shared by the completion and cancellation certificates: A4 pages appended after the
 * document, a title, then sections of label/value rows that wrap and continue on a new page.
 */
import { layoutText, measureText, rgb, type Color, type PDF, type PDFPage } from '@libpdf/core';
import { drawableText, embedFonts, type DocumentFonts } from './fonts.js';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const LABEL_WIDTH = 130;
const SIZE = 9;
const LINE = SIZE * 1.35;

export type Row = readonly [label: string, value: string, style?: 'mono'];

export class CertificateWriter {
  private readonly fonts: Pick<DocumentFonts, 'regular' | 'bold' | 'mono'>;
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly pdf: PDF,
    private readonly title: string,
    private readonly titleColor: Color = rgb(0, 0, 0),
  ) {
    this.fonts = embedFonts(pdf, ['regular', 'bold', 'mono']);
    this.newPage();
  }

  section(heading: string): void {
    this.ensureRoom(LINE * 3);
    this.y -= LINE;
    this.page.drawText(drawableText(heading, this.fonts.bold), {
      x: MARGIN,
      y: this.y,
      font: this.fonts.bold,
      size: 11,
    });
    this.y -= LINE * 1.2;
  }

  /** Label on the left, the value wrapped in the column on its right. */
  row([label, value, style]: Row): void {
    const font = style === 'mono' ? this.fonts.mono : this.fonts.regular;
    const width = PAGE.width - 2 * MARGIN - LABEL_WIDTH;
    const lines = wrap(drawableText(value, font, 2000) || '-', font, width);
    this.ensureRoom(LINE * Math.min(lines.length, 3));
    this.page.drawText(drawableText(label, this.fonts.bold), {
      x: MARGIN,
      y: this.y,
      font: this.fonts.bold,
      size: SIZE,
    });
    for (const line of lines) {
      this.ensureRoom(LINE);
      this.page.drawText(line, { x: MARGIN + LABEL_WIDTH, y: this.y, font, size: SIZE });
      this.y -= LINE;
    }
  }

  /** A paragraph across the whole width. */
  paragraph(text: string): void {
    for (const line of wrap(
      drawableText(text, this.fonts.regular, 2000),
      this.fonts.regular,
      PAGE.width - 2 * MARGIN,
    )) {
      this.ensureRoom(LINE);
      this.page.drawText(line, { x: MARGIN, y: this.y, font: this.fonts.regular, size: SIZE });
      this.y -= LINE;
    }
  }

  gap(): void {
    this.y -= LINE / 2;
  }

  private ensureRoom(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  private newPage(): void {
    const continued = this.page !== undefined;
    this.page = this.pdf.addPage({ width: PAGE.width, height: PAGE.height });
    this.y = PAGE.height - MARGIN - 18;
    const title = continued ? `${this.title} (continued)` : this.title;
    this.page.drawText(drawableText(title, this.fonts.bold), {
      x: MARGIN,
      y: this.y,
      font: this.fonts.bold,
      size: 18,
      color: this.titleColor,
    });
    this.y -= LINE * 2.5;
  }
}

/** Word wrap; a word wider than the line (a hash, a long user agent token) is cut into pieces. */
function wrap(text: string, font: DocumentFonts['regular'], width: number): string[] {
  const pieces = text.split(' ').flatMap((word) => splitLongWord(word, font, width));
  return layoutText(pieces.join(' '), font, SIZE, width, LINE).lines.map((line) => line.text);
}

function splitLongWord(word: string, font: DocumentFonts['regular'], width: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const character of word) {
    const characterWidth = measureText(character, font, SIZE);
    if (current && currentWidth + characterWidth > width) {
      pieces.push(current);
      current = '';
      currentWidth = 0;
    }
    current += character;
    currentWidth += characterWidth;
  }
  return current ? [...pieces, current] : pieces;
}
