/**
 * One signature drawn in a box: the typed text or the drawn image, a rule under it, and a caption
 * with the signer's name and time. Boxes are given in display coordinates (origin at the bottom
 * left of the page as the reader sees it), so a stamp is upright on rotated pages too.
 */
import { measureText, rgb, type EmbeddedFont, type PDF, type PDFImage, type PDFPage } from '@libpdf/core';
import type { DocumentFonts } from './fonts.js';
import { drawableText } from './fonts.js';
import type { DisplayFrame } from './page-frame.js';
import { formatUtc } from './update-pdf.js';

export type SignatureMark =
  | { readonly type: 'typed'; readonly text: string }
  | { readonly type: 'drawn'; readonly imagePng: string | Uint8Array };

export interface Box {
  left: number;
  bottom: number;
  width: number;
  height: number;
}

export interface SignatureToDraw {
  readonly name: string;
  readonly signedAt: number | Date;
  readonly signature: SignatureMark;
}

const INK = rgb(0.05, 0.1, 0.45);
const CAPTION_SIZE = 7;
/** Signature pads produce a few hundred pixels; a larger image is refused before it is inflated (a PNG bomb). */
const MAX_IMAGE_SIDE = 2000;

export function drawSignature(
  pdf: PDF,
  page: PDFPage,
  frame: DisplayFrame,
  box: Box,
  signature: SignatureToDraw,
  fonts: Pick<DocumentFonts, 'regular' | 'signature'>,
): void {
  const captionHeight = CAPTION_SIZE * 2;
  const mark: Box = { ...box, bottom: box.bottom + captionHeight, height: box.height - captionHeight };
  const image = signature.signature.type === 'drawn' ? embedSignatureImage(pdf, signature.signature.imagePng) : null;
  if (image) drawImageInBox(page, frame, image, mark);
  else drawTypedInBox(page, frame, typedText(signature), fonts.signature, mark);

  const ruleY = box.bottom + captionHeight - 2;
  page.drawLine({
    start: frame.toUserSpace(box.left, ruleY),
    end: frame.toUserSpace(box.left + box.width, ruleY),
    color: rgb(0.5, 0.5, 0.5),
    thickness: 0.5,
  });
  const caption = fitText(
    `${drawableText(signature.name, fonts.regular, 120)}, signed ${formatUtc(signature.signedAt)}`,
    fonts.regular,
    CAPTION_SIZE,
    box.width,
  );
  drawUpright(page, frame, caption, box.left, box.bottom + 3, { font: fonts.regular, size: CAPTION_SIZE });
}

/** A drawn signature whose image cannot be used is shown as the signer's name, so the stamp never fails. */
function typedText(signature: SignatureToDraw): string {
  return signature.signature.type === 'typed' ? signature.signature.text : signature.name;
}

function drawTypedInBox(page: PDFPage, frame: DisplayFrame, text: string, font: EmbeddedFont, box: Box): void {
  const line = drawableText(text, font, 200) || '?';
  const widthPerPoint = measureText(line, font, 1);
  const size = Math.max(6, Math.min(28, box.height * 0.6, (box.width - 4) / widthPerPoint));
  const baseline = box.bottom + (box.height - size * 0.75) / 2;
  drawUpright(page, frame, fitText(line, font, size, box.width), box.left + 2, baseline, { font, size, color: INK });
}

function drawImageInBox(page: PDFPage, frame: DisplayFrame, image: PDFImage, box: Box): void {
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  const left = box.left + (box.width - width) / 2;
  const bottom = box.bottom + (box.height - height) / 2;
  const origin = frame.toUserSpace(left, bottom);
  page.drawImage(image, { ...origin, width, height, rotate: { angle: frame.rotation, origin } });
}

/** The PNG of a drawn signature, or null when it is not a usable PNG (then the name is typed instead). */
function embedSignatureImage(pdf: PDF, imagePng: string | Uint8Array): PDFImage | null {
  const bytes =
    typeof imagePng === 'string' ? Buffer.from(imagePng.replace(/^data:image\/png;base64,/, ''), 'base64') : imagePng;
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 24));
  const isPng =
    header.length === 24 && header.readUInt32BE(0) === 0x89504e47 && header.toString('latin1', 12, 16) === 'IHDR';
  if (!isPng) return null;
  const width = header.readUInt32BE(16);
  const height = header.readUInt32BE(20);
  if (width === 0 || height === 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) return null;
  try {
    return pdf.embedPng(bytes);
  } catch {
    return null;
  }
}

export function drawUpright(
  page: PDFPage,
  frame: DisplayFrame,
  text: string,
  x: number,
  y: number,
  options: { font: EmbeddedFont; size: number; color?: ReturnType<typeof rgb> },
): void {
  if (!text) return;
  const origin = frame.toUserSpace(x, y);
  page.drawText(text, { ...origin, ...options, rotate: { angle: frame.rotation, origin } });
}

/** Cuts a line to `maxWidth`, ending it with "..." when something was cut. */
export function fitText(text: string, font: EmbeddedFont, size: number, maxWidth: number): string {
  if (measureText(text, font, size) <= maxWidth) return text;
  const characters = [...text];
  while (characters.length > 0 && measureText(`${characters.join('')}...`, font, size) > maxWidth) characters.pop();
  return `${characters.join('')}...`;
}
