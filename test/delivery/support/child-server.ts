/**
 * Real Countersign processes for crash tests: `node bin/countersign.mjs <command> --data-dir D`
 * as children, killed with SIGKILL, and the data dir prepared and inspected in-process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadConfig } from '../../../src/config.js';
import { createSignatureRequest } from '../../../src/core/use-cases/create-signature-request.js';
import { createTenantWithCredentials } from '../../../src/providers/create-tenant-with-credentials.js';
import { createCoreDeps, createSurfaceContext } from '../../../src/main.js';
import { databasePath, openStore } from '../../../src/storage/open-store.js';
import { freePort, makePdf } from '../../support/harness.js';
import { waitFor } from './smtp-inbox.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Child {
  readonly process: ChildProcess;
  readonly baseUrl: string;
  readonly output: () => string;
  kill(): Promise<void>;
}

/** Spawns `countersign <args>`; for `serve`, waits until /healthz answers. */
export async function spawnCountersign(
  args: string[],
  env: Record<string, string>,
  options: { serve?: boolean } = {},
): Promise<Child> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['bin/countersign.mjs', ...args, ...(options.serve ? ['--port', String(port)] : [])],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  if (options.serve) {
    await waitFor(
      'the child server to answer /healthz',
      async () => {
        if (child.exitCode !== null) throw new Error(`the child exited early:\n${output}`);
        return fetch(`${baseUrl}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
      },
      60_000,
      100,
    );
  }
  return {
    process: child,
    baseUrl,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A tenant and `count` requests (one signer each, distinct emails) created through the core, in-process. */
export async function prepareDataDir(
  dataDir: string,
  count: number,
): Promise<{ tenantId: string; apiKey: string; ids: string[]; emails: string[] }> {
  const config = loadConfig({}, { dataDir, logLevel: 'silent' });
  const store = openStore(config);
  try {
    const deps = createCoreDeps(config, store);
    const tenant = await createTenantWithCredentials(createSurfaceContext(config, deps), 'Crash Test Ltd');
    const pdf = await makePdf();
    const ids: string[] = [];
    const emails: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const email = `signer-${index}@example.test`;
      const created = await createSignatureRequest(deps, {
        tenantId: tenant.tenantId,
        title: `Crash ${index}`,
        expiresAt: deps.clock.now() + 30 * 86_400_000,
        document: { filename: 'crash.pdf', bytes: pdf },
        signers: [{ name: `Signer ${index}`, email }],
        context: { actor: { type: 'system', id: 'test' }, surface: 'cli' },
      });
      ids.push(created.id);
      emails.push(email);
    }
    return { tenantId: tenant.tenantId, apiKey: tenant.apiKey, ids, emails };
  } finally {
    await store.close();
  }
}

/** One read on the data dir's database, on a short-lived connection of its own. */
export function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databasePath({ dataDir }), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function pendingCount(dataDir: string, topic: string): number {
  const [row] = query<{ count: number }>(
    dataDir,
    "SELECT COUNT(*) AS count FROM outbox WHERE topic = ? AND status = 'pending'",
    topic,
  );
  assert.ok(row);
  return row.count;
}

/** Whether another connection holds the write lock right now (probed without waiting). */
export function isWriteLocked(dataDir: string): boolean {
  const db = new Database(databasePath({ dataDir }), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}
