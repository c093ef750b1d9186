// The independent tools the sealed-PDF tests check against: poppler-utils (pdfsig, pdftotext,
// pdfinfo, pdfimages), qpdf and openssl, from Debian. A missing tool fails the test that needs it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';

const execFileAsync = promisify(execFile);

export interface ToolResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a tool and returns its output whatever its exit code (pdfsig exits 1..4 on bad signatures). */
export async function runTool(tool: string, args: string[], input?: { cwd?: string }): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await execFileAsync(tool, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      ...(input?.cwd ? { cwd: input.cwd } : {}),
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: number | string };
    if (failure.code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install -y poppler-utils qpdf openssl`);
    }
    return { stdout: failure.stdout ?? '', stderr: failure.stderr ?? '', code: Number(failure.code ?? 1) };
  }
}

export async function savePdf(directory: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, bytes);
  return path;
}

export interface PdfsigSignature {
  fieldName: string;
  commonName: string;
  type: string;
  validation: string;
  raw: string;
}

/** pdfsig's report, one entry per signature. */
export async function pdfsig(path: string): Promise<PdfsigSignature[]> {
  const { stdout } = await runTool('pdfsig', [path]);
  const blocks = stdout.split(/^Signature #\d+:$/m).slice(1);
  const field = (block: string, name: string) => new RegExp(`^\\s+- ${name}: (.*)$`, 'm').exec(block)?.[1] ?? '';
  return blocks.map((block) => ({
    fieldName: field(block, 'Signature Field Name'),
    commonName: field(block, 'Signer Certificate Common Name'),
    type: field(block, 'Signature Type'),
    validation: field(block, 'Signature Validation'),
    raw: block,
  }));
}

/** The one seal, valid and PAdES: what pdfsig must say of every sealed document. */
export async function assertSealedValid(path: string): Promise<PdfsigSignature> {
  const signatures = await pdfsig(path);
  assert.equal(signatures.length, 1, `one signature in ${path}`);
  const seal = signatures[0]!;
  assert.equal(seal.validation, 'Signature is Valid.', seal.raw);
  assert.equal(seal.type, 'ETSI.CAdES.detached', seal.raw);
  return seal;
}

export async function assertQpdfClean(path: string): Promise<void> {
  const { stdout, stderr, code } = await runTool('qpdf', ['--check', path]);
  assert.equal(code, 0, `qpdf --check ${path}: ${stdout}${stderr}`);
  assert.match(stdout, /No syntax or stream encoding errors found/);
}

export async function pageCount(path: string): Promise<number> {
  const match = /^Pages:\s+(\d+)$/m.exec((await runTool('pdfinfo', [path])).stdout);
  assert.ok(match, 'pdfinfo prints a page count');
  return Number(match[1]);
}

/** One page's text in reading order, whitespace collapsed to single spaces. */
export async function pageText(path: string, page: number): Promise<string> {
  const { stdout } = await runTool('pdftotext', ['-f', String(page), '-l', String(page), path, '-']);
  return stdout.replace(/\s+/g, ' ');
}

/** One page's text without any whitespace (poppler splits a diagonal word into pieces). */
export async function compactPageText(path: string, page: number): Promise<string> {
  const { stdout } = await runTool('pdftotext', ['-raw', '-f', String(page), '-l', String(page), path, '-']);
  return stdout.replace(/\s+/g, '');
}

export interface WordBox {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Word boxes of one page, from the top left of the page as displayed; and the page's size. */
export async function wordBoxes(
  path: string,
  page: number,
): Promise<{ width: number; height: number; words: WordBox[] }> {
  const { stdout } = await runTool('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-']);
  const size = /<page width="([\d.]+)" height="([\d.]+)">/.exec(stdout);
  assert.ok(size, 'pdftotext -bbox prints the page size');
  const words = [
    ...stdout.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g),
  ].map((match) => ({
    xMin: Number(match[1]),
    yMin: Number(match[2]),
    xMax: Number(match[3]),
    yMax: Number(match[4]),
    text: match[5] ?? '',
  }));
  return { width: Number(size[1]), height: Number(size[2]), words };
}

/** The images pdfimages lists: page and pixel size of each. */
export async function imagesOn(path: string): Promise<Array<{ page: number; width: number; height: number }>> {
  const { stdout } = await runTool('pdfimages', ['-list', path]);
  return stdout
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[2] === 'image')
    .map((fields) => ({ page: Number(fields[0]), width: Number(fields[3]), height: Number(fields[4]) }));
}

/** The CMS of the last signature in a PDF, as `openssl cms -cmsout -print` describes it. */
export async function printSignatureCms(directory: string, pdf: Uint8Array): Promise<string> {
  const text = Buffer.from(pdf).toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  const range = /\[\s*(\d+)\s+(\d+)\s+(\d+)/.exec(text.slice(at))!;
  const hex = text.slice(Number(range[2]) + 1, Number(range[3]) - 1);
  const der = join(directory, 'signature.der');
  await writeFile(der, Buffer.from(hex, 'hex'));
  const { stdout, stderr, code } = await runTool('openssl', ['cms', '-cmsout', '-inform', 'DER', '-in', der, '-print']);
  assert.equal(code, 0, stderr);
  return stdout;
}

/** A contract of `count` pages (optionally some rotated), each saying "Contract page N". */
export async function makeContract(
  count: number,
  options: { rotate?: Record<number, number> } = {},
): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let index = 0; index < count; index++) {
    const page = document.addPage([595.28, 841.89]);
    const rotation = options.rotate?.[index + 1];
    if (rotation) page.setRotation(degrees(rotation));
    page.drawText(`Contract page ${index + 1}`, { x: 50, y: 780, size: 14, font });
    for (let line = 0; line < 30; line++) {
      page.drawText('The parties agree to the terms set out in this contract and its schedules.', {
        x: 50,
        y: 740 - line * 20,
        size: 10,
        font,
      });
    }
  }
  return document.save();
}
