/**
 * Delivery is told about the outside through ports (webhook renderers, the URL policy), never by
 * importing it: src/delivery imports neither the HTTP layer nor any provider, src/cli imports no HTTP
 * code, and delivery's modules import each other without a circle (ADR 12). A scan of the import
 * specifiers, until the project-wide import rule takes over.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file imports or re-exports (static, type-only and dynamic), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
  ].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(root, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

function violations(from: string, forbidden: readonly string[]): string[] {
  return sourceFiles(join(root, from)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((folder) => target.startsWith(`${folder}/`)))
      .map((target) => `${relative(root, file)} imports ${target}`),
  );
}

test('src/delivery imports neither src/http nor src/providers', () => {
  assert.deepEqual(violations('src/delivery', ['src/http', 'src/providers']), []);
});

test('src/cli imports nothing from src/http', () => {
  assert.deepEqual(violations('src/cli', ['src/http']), []);
});

test("src/delivery's modules import each other without a circle", () => {
  const files = sourceFiles(join(root, 'src/delivery')).map((file) => relative(root, file));
  const edges = new Map(
    files.map((file) => [file, importsOf(join(root, file)).filter((target) => target.startsWith('src/delivery/'))]),
  );
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      circles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const target of edges.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(circles, []);
});

test('the scan sees imports: it finds the ones this file makes', () => {
  const own = importsOf(join(root, 'test/delivery/import-direction.test.ts'));
  assert.deepEqual(own, []); // only node: modules
  const fanOut = importsOf(join(root, 'src/delivery/handlers/event-fanout.ts'));
  assert.ok(fanOut.includes('src/delivery/outbox-handler.ts'), fanOut.join(', '));
  assert.ok(fanOut.includes('src/core/ports.ts'), fanOut.join(', '));
});
