// Plain-data inputs for the sealed-PDF tests: signers, their evidence, drawn signatures as PNGs.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { SignaturePlacement, SignerEvidence } from '../../../src/documents/pdf.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG with a dark diagonal stroke on a transparent background, like a signature pad's. */
export function drawnSignaturePng(width = 300, height = 100): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4); // filter byte 0, then pixels
    for (let x = 0; x < width; x++) {
      const onStroke = Math.abs(y - (x * height) / width) < 4;
      if (onStroke) row.writeUInt32BE(0x10204aff, 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG whose header claims 30,000 x 30,000 pixels: inflated, it would need 3.6 GB. */
export function oversizedPngHeader(): Buffer {
  const png = drawnSignaturePng(10, 10);
  png.writeUInt32BE(30_000, 16);
  png.writeUInt32BE(30_000, 20);
  return png;
}

export const SIGNED_AT = Date.parse('2026-12-07T10:15:00Z');

export function evidenceOf(placements: readonly SignaturePlacement[]): SignerEvidence[] {
  return placements.map((placement, index) => ({
    name: placement.name,
    email: `signer${index + 1}@example.com`,
    signedAt: placement.signedAt,
    ip: `203.0.113.${index + 10}`,
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) TestBrowser/${index + 1}.0`,
  }));
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
