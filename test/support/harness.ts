/**
 * Test harness: a real Countersign server (real SQLite in a temp data dir, real HTTP on
 * 127.0.0.1) with a controllable clock, the only fake. Tests talk to it over HTTP with fetch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { loadConfig, type Config } from '../../src/config.js';
import { createTenantWithCredentials, type CreatedTenant } from '../../src/providers/create-tenant-with-credentials.js';
import { createApp, type App, type AppOptions } from '../../src/main.js';
import { databasePath } from '../../src/storage/open-store.js';
import { NativeContract } from './native-contract.js';

export class TestClock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface TestServer {
  readonly app: App;
  readonly baseUrl: string;
  readonly clock: TestClock;
  readonly dataDir: string;
  /**
   * The test's own connection to the server's database file, for looking at (and, rarely, setting
   * up) rows the API does not show: what an operator with sqlite3 would see. The server's store
   * gives its connection to nobody.
   */
  readonly db: Database.Database;
  createTenant(name?: string): Promise<CreatedTenant>;
  /** The native answers so far that /openapi.json does not allow (and forgets them): close() fails on any. */
  takeContractViolations(): string[];
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startTestServer(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  options: AppOptions = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-test-'));
  const port = await freePort();
  const config = loadConfig({}, { dataDir, port, host: '127.0.0.1', logLevel: 'silent', ...overrides });
  const clock = new TestClock();
  // Every /v1 answer this server sends is checked against its own /openapi.json.
  let contract: NativeContract | undefined;
  let violations: string[] = [];
  const observe = (root: FastifyInstance): void => {
    options.observe?.(root);
    root.addHook('onSend', async (request, reply, payload) => {
      if (contract) {
        violations.push(
          ...contract.violations({
            method: request.method,
            url: request.url,
            status: reply.statusCode,
            headers: reply.getHeaders(),
            payload,
          }),
        );
      }
      return payload;
    });
  };
  const app = await createApp(config, { clock, logger: false, ...options, observe });
  contract = await NativeContract.load((await app.server.inject({ method: 'GET', url: '/openapi.json' })).json());
  await app.server.listen({ port, host: '127.0.0.1' });
  const takeContractViolations = (): string[] => {
    const taken = violations;
    violations = [];
    return taken;
  };
  let db: Database.Database | undefined;
  return {
    app,
    clock,
    dataDir,
    get db() {
      if (!db) {
        db = new Database(databasePath(config), { fileMustExist: true });
        db.pragma('busy_timeout = 10000');
      }
      return db;
    },
    baseUrl: `http://127.0.0.1:${port}`,
    createTenant: (name = 'Acme') => createTenantWithCredentials(app.surfaceContext, name),
    takeContractViolations,
    async close() {
      db?.close();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      const found = takeContractViolations();
      if (found.length > 0) {
        throw new Error(
          `${found.length} native answer(s) do not match /openapi.json:\n${found.slice(0, 10).join('\n')}`,
        );
      }
    },
  };
}

/** A real PDF with `pages` pages, made with pdf-lib. */
export async function makePdf(pages = 1, text = 'Countersign test document'): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  for (let page = 0; page < pages; page += 1)
    document.addPage([595, 842]).drawText(`${text} - page ${page + 1}`, { x: 50, y: 780, size: 14 });
  return document.save();
}

/** fetch with JSON in and out; returns status, headers and the parsed body (or text). */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Uint8Array | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
