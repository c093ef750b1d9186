/**
 * The docs cite only what a reader of the repository can open: every relative link and every
 * backticked path that looks like a file of ours must exist here (a path outside the repository,
 * `../shared/…` or a maintainer's `reference/…` copy, is a dead end for everyone else), and so must
 * every UPPERCASE.md they name. Each compat page names its provider samples in test/fixtures and
 * the provider's public documentation.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(new URL('../..', import.meta.url).pathname);

function markdownUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownUnder(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const DOCS = ['README.md', 'ARCHITECTURE.md', 'BENCHMARKS.md', ...markdownUnder('docs')];

/** `a/b.ts`, `dir/`, `../y/`: a path, not an API route (`/v1/…`), a URL, a placeholder or a command. */
function looksLikePath(text: string): boolean {
  if (/[\s{}<>$?…[\]=:@,;"']/.test(text) || /^(\/|-|https?)/.test(text)) return false;
  return text.includes('/') && (/\.[A-Za-z0-9]+$/.test(text) || text.endsWith('/'));
}

/** The path exists from the repository root or from the citing document's folder (a `*` matches within one name). */
function exists(path: string, doc: string): boolean {
  return [root, dirname(join(root, doc))].some((base) => {
    const full = resolve(base, path);
    if (relative(root, full).startsWith('..')) return false;
    if (!path.includes('*')) return existsSync(full);
    const folder = dirname(full);
    const pattern = new RegExp(
      `^${basename(full)
        .replace(/[.+^()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')}$`,
    );
    return existsSync(folder) && readdirSync(folder).some((name) => pattern.test(name));
  });
}

function citedPaths(doc: string): { line: number; path: string }[] {
  const cited: { line: number; path: string }[] = [];
  readFileSync(join(root, doc), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      for (const [, path] of text.matchAll(/`([^`]+)`/g)) if (looksLikePath(path!)) cited.push({ line, path: path! });
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!/^(https?:|mailto:|#)/.test(target!)) cited.push({ line, path: target!.split('#')[0]! });
      }
      for (const [name] of text.matchAll(/\b[A-Z][A-Z0-9_-]+\.md\b/g)) cited.push({ line, path: name });
    });
  return cited;
}

test('every path the docs cite exists in the repository', () => {
  const missing = DOCS.flatMap((doc) =>
    citedPaths(doc)
      .filter(
        ({ path }) =>
          !exists(path, doc) && !(/^[A-Z][A-Z0-9_-]+\.md$/.test(path) && DOCS.some((d) => basename(d) === path)),
      )
      .map(({ line, path }) => `${doc}:${line}: ${path}`),
  );
  assert.deepEqual(missing, []);
});

test('the check catches what it is meant to catch', () => {
  assert.equal(looksLikePath('reference/samples/auco.samples.json'), true);
  assert.equal(looksLikePath('../shared/seeds/'), true);
  assert.equal(looksLikePath('src/providers/auco/'), true);
  for (const notAPath of [
    '/v1/signing/<token>',
    'GET /v1/mails',
    '${COUNTERSIGN_PUBLIC_URL}/lumin/v1',
    'luminpdf/luminsign-docs',
    'https://docs.auco.ai/x.md',
  ]) {
    assert.equal(looksLikePath(notAPath), false, notAPath);
  }
  assert.equal(exists('test/fixtures/lumin.samples.json', 'docs/compat/lumin.md'), true);
  assert.equal(exists('test/fixtures/*.samples.json', 'docs/compat/lumin.md'), true);
  assert.equal(exists('reference/samples/auco.samples.json', 'docs/compat/auco.md'), false);
  assert.equal(exists('../shared/seeds/', 'docs/adr/0001-core-shapes.md'), false);
  assert.equal(exists('../../../shared/seeds/', 'docs/adr/0001-core-shapes.md'), false, 'never outside the repository');
});

test("each compat page names its provider samples in test/fixtures and the provider's public documentation", () => {
  for (const doc of markdownUnder('docs/compat')) {
    const text = readFileSync(join(root, doc), 'utf8');
    const fixtures = [...text.matchAll(/`(test\/fixtures\/[^`]+)`/g)].map(([, path]) => path!);
    assert.ok(fixtures.length > 0, `${doc} names no sample in test/fixtures`);
    for (const fixture of fixtures) assert.ok(existsSync(join(root, fixture)), `${doc}: ${fixture}`);
    assert.match(
      text,
      /^Sources:[\s\S]*?https:\/\/[^\s)]+/m,
      `${doc} names no public documentation URL in its Sources`,
    );
  }
});
