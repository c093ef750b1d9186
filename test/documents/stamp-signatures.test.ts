// Where and how signatures are drawn, read back with poppler: pdftotext -bbox for positions,
// pdfimages for drawn signatures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLACED_SIGNATURE_SIZE, stampSignatures, type SignaturePlacement } from '../../src/documents/pdf.js';
import {
  assertQpdfClean,
  imagesOn,
  makeContract,
  pageCount,
  pageText,
  savePdf,
  wordBoxes,
} from './support/pdf-tools.js';
import { SIGNED_AT, drawnSignaturePng, oversizedPngHeader } from './support/signature-fixtures.js';

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-stamp-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

function typed(name: string, text: string, position?: SignaturePlacement['position']): SignaturePlacement {
  return { name, signedAt: SIGNED_AT, signature: { type: 'typed', text }, ...(position ? { position } : {}) };
}

test("a placed signature (Singpass's page, x, y) lands there, upright on a rotated page, and whole at x = y = 1", async () => {
  const contract = await makeContract(3, { rotate: { 2: 90 } });
  const stamped = await stampSignatures(contract, [
    typed('Singpass user', 'Quillon', { page: 1, x: 0.1, y: 0.2 }),
    typed('Singpass user', 'Zephyrine', { page: 2, x: 0.6, y: 0.5 }),
    typed('Singpass user', 'Marrowby', { page: 3, x: 1, y: 1 }),
  ]);
  const path = await savePdf(directory, 'placed.pdf', stamped);
  await assertQpdfClean(path);
  assert.equal(await pageCount(path), 3, 'no signature page when every signature is placed');

  // pdftotext -bbox gives word boxes as displayed but the page's size unrotated: page 2 is turned 90°.
  const expectations: Array<[page: number, word: string, x: number, y: number, sideways: boolean]> = [
    [1, 'Quillon', 0.1, 0.2, false],
    [2, 'Zephyrine', 0.6, 0.5, true],
  ];
  for (const [page, text, x, y, sideways] of expectations) {
    const boxes = await wordBoxes(path, page);
    const { words } = boxes;
    const [width, height] = sideways ? [boxes.height, boxes.width] : [boxes.width, boxes.height];
    const word = words.find((candidate) => candidate.text === text);
    assert.ok(word, `${text} on page ${page}`);
    // Inside the box whose top left corner is at (x, y) of the page as displayed.
    assert.ok(Math.abs(word.xMin - x * width) < 10, `${text} starts at x: ${JSON.stringify({ word, width })}`);
    assert.ok(word.yMin >= y * height && word.yMax <= y * height + PLACED_SIGNATURE_SIZE.height, `${text} at y`);
    assert.ok(word.xMax - word.xMin > word.yMax - word.yMin, `${text} is horizontal as displayed`);
  }
  const last = await wordBoxes(path, 3);
  const corner = last.words.find((candidate) => candidate.text === 'Marrowby');
  assert.ok(corner && corner.xMax <= last.width && corner.yMax <= last.height, 'kept on the page at x = y = 1');
  assert.ok(corner.xMin > last.width - PLACED_SIGNATURE_SIZE.width - 1, 'in the bottom right corner');
});

test('a drawn signature is embedded as its image; an unusable or oversized PNG falls back to the typed name', async () => {
  const stamped = await stampSignatures(await makeContract(1), [
    { name: 'Dana Drawn', signedAt: SIGNED_AT, signature: { type: 'drawn', imagePng: drawnSignaturePng(240, 80) } },
    { name: 'Olaf Oversized', signedAt: SIGNED_AT, signature: { type: 'drawn', imagePng: oversizedPngHeader() } },
    { name: 'Gina Garbage', signedAt: SIGNED_AT, signature: { type: 'drawn', imagePng: 'bm90IGEgcG5n' } },
  ]);
  const path = await savePdf(directory, 'drawn.pdf', stamped);
  await assertQpdfClean(path);
  assert.deepEqual(
    (await imagesOn(path)).map(({ page, width, height }) => ({ page, width, height })),
    [{ page: 2, width: 240, height: 80 }],
  );
  const text = await pageText(path, 2);
  for (const name of ['Olaf Oversized', 'Gina Garbage']) {
    assert.equal(text.split(name).length - 1, 2, `${name}: the name as the signature, and in the caption`);
  }
});

test('names in scripts the font lacks are drawn with "?", the rest of the line intact; many signers take several pages', async () => {
  const signers = Array.from({ length: 13 }, (_, index) => typed(`Signer ${index + 1}`, `Signer ${index + 1}`));
  const stamped = await stampSignatures(await makeContract(1), [typed('王小明 Wang', '王小明'), ...signers]);
  const path = await savePdf(directory, 'scripts.pdf', stamped);
  await assertQpdfClean(path);
  assert.equal(await pageCount(path), 1 + 2, '14 signatures need two signature pages');
  const first = await pageText(path, 2);
  assert.match(first, /\?\?\? Wang, signed 2026-12-07 10:15:00 UTC/);
  assert.match(await pageText(path, 3), /Signer 13/);
});
