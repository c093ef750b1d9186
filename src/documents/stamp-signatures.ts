/**
 * The signatures drawn into the document. A signature with a position (a Singpass initiation's
 * page, x and y) is stamped there; the others go on a signature page appended after the document,
 * where they can never cover its content (our API has no field placement to say where else).
 */
import type { PDF } from '@libpdf/core';
import { drawSignature, drawUpright, type Box, type SignatureToDraw } from './draw-signature.js';
import { embedFonts, type DocumentFonts } from './fonts.js';
import { displayFrameOf } from './page-frame.js';
import { openForUpdate, saveUpdate } from './update-pdf.js';

export type { SignatureMark } from './draw-signature.js';

type StampFonts = Pick<DocumentFonts, 'regular' | 'bold' | 'signature'>;

export interface SignaturePlacement extends SignatureToDraw {
  /**
   * Where the signature goes: `page` from 1; `x` and `y` from 0 to 1, fractions of the page's width
   * and height as displayed, measured from its top left corner, locating the top left corner of the
   * signature box (Singpass's initiation claims). Absent: the signature page.
   */
  readonly position?: { readonly page: number; readonly x: number; readonly y: number } | null;
}

/** Singpass's own signature is 7.78 x 2.12 cm on the page; ours takes the same room. */
export const PLACED_SIGNATURE_SIZE = { width: 220, height: 60 } as const;

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 56;
const GRID = { columns: 2, boxWidth: 220, boxHeight: 90, gapX: 43, gapY: 36 };

/**
 * Returns the document with every signature drawn; the input is not modified, and the drawing is
 * appended as an incremental update (see `saveUpdate`). No placements: the bytes come back as they are.
 */
export async function stampSignatures(
  bytes: Uint8Array,
  placements: readonly SignaturePlacement[],
): Promise<Uint8Array> {
  if (placements.length === 0) return bytes;
  const pdf = await openForUpdate(bytes);
  const fonts = embedFonts(pdf, ['regular', 'bold', 'signature']);
  const pageCount = pdf.getPageCount();
  const unplaced: SignaturePlacement[] = [];
  for (const placement of placements) {
    const position = placement.position;
    if (!position) {
      unplaced.push(placement);
      continue;
    }
    if (!Number.isInteger(position.page) || position.page < 1 || position.page > pageCount) {
      throw new RangeError(`A signature is placed on page ${position.page}; the document has ${pageCount}.`);
    }
    stampAtPosition(pdf, placement, position, fonts);
  }
  if (unplaced.length > 0) appendSignaturePages(pdf, unplaced, fonts);
  return saveUpdate(pdf);
}

function stampAtPosition(
  pdf: PDF,
  placement: SignaturePlacement,
  position: { page: number; x: number; y: number },
  fonts: StampFonts,
): void {
  const page = pdf.getPage(position.page - 1)!;
  const frame = displayFrameOf(page.getCropBox(), page.rotation);
  const width = Math.min(PLACED_SIGNATURE_SIZE.width, frame.width);
  const height = Math.min(PLACED_SIGNATURE_SIZE.height, frame.height);
  // Kept whole on the page: Singpass's own sample places at x = y = 1, the bottom right corner.
  const left = clamp(position.x * frame.width, 0, frame.width - width);
  const top = clamp((1 - position.y) * frame.height, height, frame.height);
  drawSignature(pdf, page, frame, { left, bottom: top - height, width, height }, placement, fonts);
}

/** Two columns of signature boxes on A4 pages after the document, as many pages as needed. */
function appendSignaturePages(pdf: PDF, signatures: readonly SignatureToDraw[], fonts: StampFonts): void {
  const rowsPerPage = Math.floor((PAGE.height - 2 * MARGIN - 40 + GRID.gapY) / (GRID.boxHeight + GRID.gapY));
  const perPage = rowsPerPage * GRID.columns;
  for (let start = 0; start < signatures.length; start += perPage) {
    const page = pdf.addPage({ width: PAGE.width, height: PAGE.height });
    const frame = displayFrameOf({ x: 0, y: 0, ...PAGE }, 0);
    drawUpright(page, frame, 'Signatures', MARGIN, PAGE.height - MARGIN - 16, { font: fonts.bold, size: 16 });
    signatures.slice(start, start + perPage).forEach((signature, index) => {
      const column = index % GRID.columns;
      const row = Math.floor(index / GRID.columns);
      const box: Box = {
        left: MARGIN + column * (GRID.boxWidth + GRID.gapX),
        bottom: PAGE.height - MARGIN - 40 - (row + 1) * GRID.boxHeight - row * GRID.gapY,
        width: GRID.boxWidth,
        height: GRID.boxHeight,
      };
      drawSignature(pdf, page, frame, box, signature, fonts);
    });
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
