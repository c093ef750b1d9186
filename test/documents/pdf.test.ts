// Document utilities, checked against independent tools: poppler-utils (pdftotext, pdfinfo) and
// qpdf. Debian: `apt-get install -y poppler-utils qpdf`. A missing tool fails the test that needs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  InvalidDocumentError,
  decodeBase64Document,
  inspectPdf,
  stampVoid,
  type InvalidDocumentReason,
} from '../../src/documents/pdf.js';

const execFileAsync = promisify(execFile);
let workDirectory = '';

before(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'countersign-pdf-test-'));
});
after(async () => {
  await rm(workDirectory, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Fixtures

interface PageSpec {
  size: [number, number];
  rotate?: number;
}

const LETTER: [number, number] = [612, 792];
const A4: [number, number] = [595.28, 841.89];

/** A PDF made by pdf-lib, each page saying "Contract page N". */
async function makePdf(pages: PageSpec[], options: { useObjectStreams?: boolean } = {}): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  pages.forEach((spec, index) => {
    const page = document.addPage(spec.size);
    if (spec.rotate) page.setRotation(degrees(spec.rotate));
    page.drawText(`Contract page ${index + 1}`, { x: 40, y: spec.size[1] - 60, size: 14, font });
  });
  return document.save({ useObjectStreams: options.useObjectStreams ?? true });
}

/** A PDF written by hand from numbered object bodies (object 1 is the catalog), with a valid xref. */
function handWrittenPdf(objects: Array<string | Buffer>): Buffer {
  const parts = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(offset);
    const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    const part = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), bodyBytes, Buffer.from('\nendobj\n')]);
    parts.push(part);
    offset += part.length;
  });
  const entries = offsets.map((entry) => `${String(entry).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

function stream(content: string | Buffer, dictionary = ''): Buffer {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
  return Buffer.concat([
    Buffer.from(`<< ${dictionary} /Length ${bytes.length} >>\nstream\n`),
    bytes,
    Buffer.from('\nendstream'),
  ]);
}

/** Catalog, page tree and font for hand-written documents; pages and contents come after. */
function handWrittenPages(pageBodies: string[], extraObjects: Array<string | Buffer> = []): Buffer {
  const kids = pageBodies.map((_, index) => `${index + 4} 0 R`).join(' ');
  return handWrittenPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pageBodies.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...pageBodies,
    ...extraObjects,
  ]);
}

const SIMPLE_PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>';

// ---------------------------------------------------------------------------------------------
// Independent tools

async function runTool(tool: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} is not installed. These tests need Debian's poppler-utils and qpdf: apt-get install -y poppler-utils qpdf`,
      );
    }
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${String(error)}\n${stdout}\n${stderr}`);
  }
}

async function saveTemporary(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(workDirectory, name);
  await writeFile(path, bytes);
  return path;
}

async function pageCountByPdfinfo(path: string): Promise<number> {
  const match = /^Pages:\s+(\d+)$/m.exec(await runTool('pdfinfo', [path]));
  assert.ok(match, 'pdfinfo prints a page count');
  return Number(match[1]);
}

/** The text of one page. Raw order and no whitespace: poppler splits diagonal words apart. */
async function compactPageText(path: string, page: number): Promise<string> {
  const text = await runTool('pdftotext', ['-raw', '-f', String(page), '-l', String(page), path, '-']);
  return text.replace(/\s+/g, '');
}

async function assertQpdfFindsNoErrors(path: string): Promise<void> {
  const report = await runTool('qpdf', ['--check', path]); // exit 2 (errors) or 3 (warnings) rejects
  assert.match(report, /No syntax or stream encoding errors found/);
}

interface WordBox {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Word boxes per page, from the top left of the page as displayed (after /Rotate). */
async function wordBoxesByPage(path: string): Promise<WordBox[][]> {
  const xhtml = await runTool('pdftotext', ['-bbox', path, '-']);
  return xhtml
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g),
      ].map((match) => ({
        xMin: Number(match[1]),
        yMin: Number(match[2]),
        xMax: Number(match[3]),
        yMax: Number(match[4]),
        text: match[5] ?? '',
      })),
    );
}

function displaySize(spec: PageSpec): { width: number; height: number } {
  const isSideways = (spec.rotate ?? 0) % 180 !== 0;
  return { width: isSideways ? spec.size[1] : spec.size[0], height: isSideways ? spec.size[0] : spec.size[1] };
}

/** The note sits in the bottom margin, left-aligned and horizontal as displayed. */
function assertNoteAtFootOf(words: WordBox[], page: { width: number; height: number }, firstWord: string): void {
  const word = words.find((candidate) => candidate.text === firstWord);
  assert.ok(word, `"${firstWord}" has a word box`);
  assert.ok(word.yMin > page.height - 40 && word.yMax <= page.height, `note at the foot: ${JSON.stringify(word)}`);
  assert.ok(word.xMin < 40, `note starts at the left: ${JSON.stringify(word)}`);
  assert.ok(word.yMax - word.yMin < 12, `note is horizontal: ${JSON.stringify(word)}`);
}

/** A page rendered by poppler at 18 dpi, as RGB pixels (a binary PPM). */
async function renderPage(path: string, page: number): Promise<{ width: number; height: number; pixels: Buffer }> {
  const prefix = join(workDirectory, `render-${page}`);
  await runTool('pdftoppm', ['-r', '18', '-f', String(page), '-l', String(page), '-singlefile', path, prefix]);
  const ppm = await readFile(`${prefix}.ppm`);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'));
  assert.ok(header, 'pdftoppm writes a binary PPM');
  return { width: Number(header[1]), height: Number(header[2]), pixels: ppm.subarray(header[0].length) };
}

/**
 * Looks at the rendered page as a reader would: the stamp's pinkish pixels (red, seen through 70%
 * transparency) lie along the diagonal from bottom left to top right, around the centre, over most
 * of the page, and none is solid red. The bottom and top tenths, where the note and the page's own
 * text are, are left out.
 */
async function assertDiagonalTranslucentLabel(path: string, page: number): Promise<void> {
  const { width, height, pixels } = await renderPage(path, page);
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  let left = width;
  let right = 0;
  let onDiagonal = 0;
  let offDiagonal = 0;
  let darkest = 255;
  for (let y = Math.ceil(height * 0.1); y < height * 0.9; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      const [red = 0, green = 0, blue = 0] = pixels.subarray(offset, offset + 3);
      if (!(red > 180 && red - green > 30 && red - blue > 30)) continue;
      count++;
      sumX += x;
      sumY += y;
      left = Math.min(left, x);
      right = Math.max(right, x);
      darkest = Math.min(darkest, green);
      const isLeft = x < width / 2;
      const isTop = y < height / 2;
      if (isLeft !== isTop)
        onDiagonal++; // bottom left or top right
      else offDiagonal++;
    }
  }
  const where = `page ${page} (${width}x${height} px)`;
  assert.ok(count > width * height * 0.05, `${where}: the label covers part of the page (${count} px)`);
  assert.ok(Math.abs(sumX / count - width / 2) < width * 0.1, `${where}: centred across`);
  assert.ok(Math.abs(sumY / count - height / 2) < height * 0.1, `${where}: centred down`);
  assert.ok(right - left > width * 0.6, `${where}: large (${left}-${right} px)`);
  assert.ok(
    onDiagonal > 3 * offDiagonal,
    `${where}: diagonal, bottom left to top right (${onDiagonal}/${offDiagonal})`,
  );
  assert.ok(darkest > 120, `${where}: translucent (darkest green ${darkest})`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isInvalidDocument(reason: InvalidDocumentReason) {
  return (error: unknown): true => {
    assert.ok(error instanceof InvalidDocumentError, `expected InvalidDocumentError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// inspectPdf

test('inspectPdf reports page count, size and SHA-256, and agrees with pdfinfo', async () => {
  for (const pages of [[{ size: LETTER }], [{ size: LETTER }, { size: A4 }, { size: LETTER, rotate: 90 }]]) {
    const bytes = await makePdf(pages);
    const inspection = await inspectPdf(bytes);
    assert.deepEqual(inspection, { pageCount: pages.length, sha256: sha256(bytes), size: bytes.byteLength });
    assert.equal(await pageCountByPdfinfo(await saveTemporary('inspect.pdf', bytes)), pages.length);
  }
});

test('inspectPdf accepts the structures real producers write: object streams, xref streams, linearized', async () => {
  const original = await saveTemporary(
    'producer-original.pdf',
    await makePdf([{ size: LETTER }, { size: A4 }], { useObjectStreams: false }),
  );
  for (const qpdfArguments of [['--object-streams=generate'], ['--linearize'], ['--qdf']]) {
    const rewritten = join(workDirectory, 'producer-rewritten.pdf');
    await runTool('qpdf', [...qpdfArguments, original, rewritten]);
    const bytes = await readFile(rewritten);
    assert.equal((await inspectPdf(bytes)).pageCount, 2, qpdfArguments.join(' '));
  }
});

test('inspectPdf rejects bytes that are not a PDF as not_pdf', async () => {
  const pdf = await makePdf([{ size: LETTER }]);
  const notPdfs: Record<string, Uint8Array> = {
    'PNG header': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
    'plain text': Buffer.from('This is a contract, honestly.\n'),
    empty: new Uint8Array(0),
    'header only in the middle': Buffer.from('<html>%PDF-1.7</html>'),
    // Readers accept up to 1024 bytes before the header; we do not (see loadValidDocument).
    'a byte-order mark before a real PDF': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), pdf]),
  };
  for (const [name, bytes] of Object.entries(notPdfs)) {
    await assert.rejects(inspectPdf(bytes), isInvalidDocument('not_pdf'), name);
  }
});

test('inspectPdf rejects a truncated PDF as unreadable', async () => {
  // Contents first and pages last, so that cutting off the last page loses nothing else.
  const page = (contents: number) =>
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`;
  const complete = handWrittenPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [7 0 R 8 0 R 9 0 R] /Count 3 >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...[1, 2, 3].map((number) => stream(`BT /F1 12 Tf 72 720 Td (Contract page ${number}) Tj ET`)),
    page(4),
    page(5),
    page(6),
  ]);
  assert.equal((await inspectPdf(complete)).pageCount, 3);

  const thirdPage = complete.indexOf('9 0 obj');
  // qpdf repairs this one without a word (only the marker is missing); we want the marker.
  await assert.rejects(inspectPdf(complete.subarray(0, complete.length - 6)), isInvalidDocument('unreadable'));
  // These lose data, which qpdf reports too.
  const truncations: Record<string, Buffer> = {
    'cut in half': complete.subarray(0, Math.floor(complete.length / 2)),
    // A cut that happens to be followed by an end marker: caught by the page count.
    'third page cut off, %%EOF glued on': Buffer.concat([complete.subarray(0, thirdPage), Buffer.from('%%EOF\n')]),
    // A cut inside an object, with an end marker glued on: caught by the parser.
    'cut inside an object, %%EOF glued on': Buffer.concat([
      complete.subarray(0, thirdPage + 30),
      Buffer.from('\n%%EOF\n'),
    ]),
  };
  for (const [name, bytes] of Object.entries(truncations)) {
    await assert.rejects(inspectPdf(bytes), isInvalidDocument('unreadable'), name);
    // qpdf exits 2 (errors) or 3 (warnings, having repaired the file) on damage.
    const path = await saveTemporary('truncated.pdf', bytes);
    await assert.rejects(runTool('qpdf', ['--check', path]), /^Error: qpdf --check .* failed/, `qpdf: ${name}`);
  }
});

test('inspectPdf allows whitespace after %%EOF but refuses other trailing data', async () => {
  const pdf = await makePdf([{ size: LETTER }]);
  assert.equal((await inspectPdf(Buffer.concat([pdf, Buffer.from('\r\n\n\0\0 ')]))).pageCount, 1);
  const withZip = Buffer.concat([pdf, Buffer.from('PK\x03\x04 a polyglot ZIP would start here', 'latin1')]);
  await assert.rejects(inspectPdf(withZip), isInvalidDocument('unreadable'));
});

test('inspectPdf rejects encrypted PDFs as encrypted', async () => {
  const plain = await saveTemporary('plain.pdf', await makePdf([{ size: LETTER }]));
  for (const userPassword of ['secret', '']) {
    for (const objectStreams of ['generate', 'disable']) {
      const encrypted = join(workDirectory, 'encrypted.pdf');
      const name = `user password "${userPassword}", object streams ${objectStreams}`;
      await runTool('qpdf', [
        '--encrypt',
        userPassword,
        'owner',
        '256',
        '--',
        `--object-streams=${objectStreams}`,
        plain,
        encrypted,
      ]);
      await runTool('qpdf', ['--is-encrypted', encrypted]); // exits 2 when not encrypted
      const bytes = await readFile(encrypted);
      await assert.rejects(inspectPdf(bytes), isInvalidDocument('encrypted'), name);
    }
  }
});

test('inspectPdf rejects a PDF without pages as empty', async () => {
  const document = await PDFDocument.create();
  const bytes = await document.save({ addDefaultPage: false });
  assert.equal((await runTool('qpdf', ['--show-npages', await saveTemporary('empty.pdf', bytes)])).trim(), '0');
  await assert.rejects(inspectPdf(bytes), isInvalidDocument('empty'));
});

test('inspectPdf rejects a damaged page tree as unreadable', async () => {
  const damaged: Record<string, Buffer> = {
    'cyclic page tree': handWrittenPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [2 0 R] /Count 1 >>',
    ]),
    'missing page object': handWrittenPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>',
      SIMPLE_PAGE,
    ]),
    'page listed twice': handWrittenPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>',
      SIMPLE_PAGE,
    ]),
    'no page box': handWrittenPages(['<< /Type /Page /Parent 2 0 R >>']),
    'contents not a stream': handWrittenPages(
      ['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>'],
      ['<< /Not /AStream >>'],
    ),
    'resources not a dictionary': handWrittenPages([
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 42 >>',
    ]),
    'nested 100000 deep': handWrittenPages([SIMPLE_PAGE], ['['.repeat(100_000) + ']'.repeat(100_000)]),
  };
  for (const [name, bytes] of Object.entries(damaged)) {
    await assert.rejects(inspectPdf(bytes), isInvalidDocument('unreadable'), name);
  }
});

test('inspectPdf enforces the size limit, 10 MiB by default', async () => {
  const pdf = await makePdf([{ size: LETTER }]);
  assert.equal((await inspectPdf(pdf, { maxBytes: pdf.byteLength })).size, pdf.byteLength);
  await assert.rejects(inspectPdf(pdf, { maxBytes: pdf.byteLength - 1 }), isInvalidDocument('too_large'));

  const atDefaultLimit = Buffer.concat([pdf, Buffer.alloc(DEFAULT_MAX_DOCUMENT_BYTES - pdf.byteLength, 0x0a)]);
  assert.equal((await inspectPdf(atDefaultLimit)).size, 10 * 1024 * 1024);
  await assert.rejects(inspectPdf(Buffer.concat([atDefaultLimit, Buffer.from('\n')])), isInvalidDocument('too_large'));
});

// A regression here would hang or take minutes; the timeout turns that into a failure.
test('inspectPdf stops hostile input quickly', { timeout: 30_000 }, async () => {
  // An object stream that inflates to 64 MiB from 64 KiB: pdf-lib alone inflates it whole.
  const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
  const bombPdf = handWrittenPages([SIMPLE_PAGE], [stream(bomb, '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode')]);
  let started = performance.now();
  await assert.rejects(inspectPdf(bombPdf), isInvalidDocument('too_large'));
  assert.ok(performance.now() - started < 5_000, 'the bomb is refused within 5 s');

  // 10 MB of unterminated streams: pdf-lib's default recovery rescans to the end for each one
  // (measured: 17 s for the first 200 KB of this, growing quadratically).
  const unterminated = '9 0 obj<<>>stream\nendobj\n'.repeat(400_000);
  const quadratic = Buffer.from(
    `%PDF-1.7\n${unterminated}1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
  started = performance.now();
  await assert.rejects(inspectPdf(quadratic), isInvalidDocument('unreadable'));
  assert.ok(performance.now() - started < 5_000, 'the unterminated streams are refused within 5 s');
});

// ---------------------------------------------------------------------------------------------
// decodeBase64Document

test('decodeBase64Document decodes standard, URL-safe, data-URL, wrapped and unpadded base64', async () => {
  const pdf = Buffer.from(await makePdf([{ size: LETTER }]));
  // Bytes chosen so that the standard encoding contains both + and /.
  const tricky = Buffer.from([0xfb, 0xff, 0xbf, 0xfe, 0x00, 0x01]);
  for (const bytes of [pdf, tricky]) {
    const standard = bytes.toString('base64');
    const variants: Record<string, string> = {
      standard,
      'URL-safe': bytes.toString('base64url'),
      'data URL': `data:application/pdf;base64,${standard}`,
      'data URL, upper case': `DATA:APPLICATION/PDF;BASE64,${standard}`,
      'MIME line breaks': standard.replace(/.{76}/g, '$&\r\n'),
      'surrounding whitespace': `\n\t ${standard} \n`,
      unpadded: standard.replace(/=+$/, ''),
    };
    for (const [name, text] of Object.entries(variants)) {
      const decoded = decodeBase64Document(text);
      assert.equal(Object.getPrototypeOf(decoded), Uint8Array.prototype, `${name}: a plain Uint8Array`);
      assert.deepEqual(Buffer.from(decoded), bytes, name);
    }
  }
  assert.equal((await inspectPdf(decodeBase64Document(pdf.toString('base64url')))).pageCount, 1);
});

test('decodeBase64Document rejects what Buffer.from would silently accept', () => {
  const invalid: Record<string, string> = {
    'invalid character': 'QUJD!RUZH',
    asterisk: 'QUJD*RUZH',
    'non-ASCII letter': 'QUJDé',
    'NUL character': 'QUJD\0RUZH',
    'another media type': 'data:image/png;base64,QUJD',
    'padding in the middle': 'QQ==QUJD',
    'three padding characters': 'QQ===',
    'padding on a complete group': 'QUJD=',
    'incomplete padding': 'QQ=',
    'impossible length': 'QUJDR',
    'non-zero unused bits': 'QR==',
    'mixed alphabets': 'ab+_',
  };
  for (const [name, text] of Object.entries(invalid)) {
    assert.throws(() => decodeBase64Document(text), isInvalidDocument('bad_base64'), name);
  }
});

test('decodeBase64Document checks the decoded size, not the length of the text', () => {
  const bytes = Buffer.alloc(100, 7);
  const spaced = bytes.toString('base64').split('').join('   ');
  assert.equal(decodeBase64Document(spaced, 100).byteLength, 100);
  assert.throws(() => decodeBase64Document(spaced, 99), isInvalidDocument('too_large'));
  assert.throws(() => decodeBase64Document('A'.repeat(16 * 1024 * 1024)), isInvalidDocument('too_large'));
});

// ---------------------------------------------------------------------------------------------
// stampVoid

test('stampVoid stamps VOID and the note on every page, upright whatever the page size and rotation', async () => {
  const pages: PageSpec[] = [
    { size: LETTER },
    { size: A4, rotate: 90 },
    { size: [1190.55, 841.89], rotate: 180 },
    { size: [612, 1008], rotate: 270 },
    { size: [300, 200] },
  ];
  const original = await makePdf(pages);
  const originalCopy = Buffer.from(original);
  const note = 'Cancelled 2026-11-21 by alice@example.com: wrong counterparty';

  const stamped = await stampVoid(original, { note });

  assert.deepEqual(Buffer.from(original), originalCopy, 'the input is not modified');
  assert.notEqual(sha256(stamped), sha256(original));
  const originalPath = await saveTemporary('void-original.pdf', original);
  const stampedPath = await saveTemporary('void-stamped.pdf', stamped);
  await assertQpdfFindsNoErrors(stampedPath);
  assert.equal(await pageCountByPdfinfo(stampedPath), pages.length);
  assert.equal((await inspectPdf(stamped)).pageCount, pages.length);

  const compactNote = note.replace(/\s+/g, '');
  const boxes = await wordBoxesByPage(stampedPath);
  for (const [index, spec] of pages.entries()) {
    const before = await compactPageText(originalPath, index + 1);
    const after = await compactPageText(stampedPath, index + 1);
    assert.ok(
      before.includes(`Contractpage${index + 1}`) && after.includes(`Contractpage${index + 1}`),
      'content kept',
    );
    assert.ok(!before.includes('VOID') && !before.includes(compactNote), `page ${index + 1} was not stamped before`);
    assert.ok(after.includes('VOID'), `page ${index + 1} says VOID: ${after}`);
    assert.ok(after.includes(compactNote), `page ${index + 1} carries the note: ${after}`);
    const words = boxes[index] ?? [];
    assertNoteAtFootOf(words, displaySize(spec), 'Cancelled');
    await assertDiagonalTranslucentLabel(stampedPath, index + 1);
  }
});

test('stampVoid takes a custom label, wraps a long note, and draws what Latin-1 lacks as ?', async () => {
  const original = await makePdf([{ size: LETTER }]);
  const longReason = 'the counterparty asked for changes to clause seven '.repeat(40);
  const stamped = await stampVoid(original, { label: 'CANCELLED', note: `Cancelled by 李雷 (Zoë): ${longReason}` });
  const path = await saveTemporary('void-label.pdf', stamped);
  await assertQpdfFindsNoErrors(path);
  const text = await runTool('pdftotext', ['-raw', path, '-']);
  assert.ok(text.replace(/\s+/g, '').includes('CANCELLED'), text);
  assert.ok(!text.includes('VOID'), 'the default label is replaced');
  assert.ok(text.includes('Cancelled by ?? (Zoë): the counterparty'), text);
  assert.ok(text.trimEnd().endsWith('...'), 'a note longer than three lines is cut with an ellipsis');
  assert.ok(text.split('\n').filter((line) => line.includes('clause')).length <= 3, 'at most three note lines');
});

test('stampVoid places the stamp correctly on a page whose content leaves the coordinates transformed', async () => {
  // Flips and halves the coordinate system without q/Q, which is legal and which a stamp appended
  // without isolating the original content would inherit.
  const content = '1 0 0 -1 0 792 cm 0.5 0 0 0.5 0 0 cm BT /F1 24 Tf 100 100 Td (Flipped original) Tj ET';
  const original = handWrittenPages(
    ['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> >> >>'],
    [stream(content)],
  );
  const path = await saveTemporary('void-flipped.pdf', await stampVoid(original, { note: 'Cancelled by bob' }));
  await assertQpdfFindsNoErrors(path);
  const words = (await wordBoxesByPage(path))[0] ?? [];
  assertNoteAtFootOf(words, { width: 612, height: 792 }, 'Cancelled');
  await assertDiagonalTranslucentLabel(path, 1);
});

test('stampVoid refuses documents that inspectPdf refuses', async () => {
  await assert.rejects(stampVoid(Buffer.from('not a pdf'), {}), isInvalidDocument('not_pdf'));
  const pdf = await makePdf([{ size: LETTER }]);
  await assert.rejects(stampVoid(pdf.subarray(0, pdf.byteLength - 100), {}), isInvalidDocument('unreadable'));
});
