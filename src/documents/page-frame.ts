/** How a page is displayed: its visible box and rotation, which drawing on it must honour. */
import type { PDFPage } from 'pdf-lib';

/**
 * A page as displayed: its width and height after /Rotate, and a map from display coordinates
 * (origin at the bottom left of what the reader sees) to the page's own user space.
 */
export interface DisplayFrame {
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  toUserSpace(x: number, y: number): { x: number; y: number };
}

export function displayFrame(page: PDFPage): DisplayFrame {
  return displayFrameOf(page.getCropBox(), page.getRotation().angle);
}

/**
 * The same for any PDF library's page: its crop box (what readers show) and its /Rotate angle.
 * @libpdf/core pages (signature stamps, certificate pages) use this directly.
 */
export function displayFrameOf(cropBox: PageBox, angle: number): DisplayFrame {
  const box = normalizeBox(cropBox);
  const rotation = normalizeRotation(angle);
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

export interface PageBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A page box normalised so that width and height are positive. */
function normalizeBox(box: PageBox): PageBox {
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
