// The worker as its own processes (`countersign worker`) and the operator CLI (`outbox dead`,
// `outbox replay`, `mails list`), all on a real data dir and a real SMTP server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/main.js';
import { startTestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import { pendingCount, prepareDataDir, spawnCountersign, type Child } from './support/child-server.js';
import { startSmtpInbox, waitFor } from './support/smtp-inbox.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-workers-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the CLI to completion (bounded) and returns its exit code and output. */
function countersign(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/countersign.mjs', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('three worker processes on one database share the outbox: every row is delivered exactly once', async () => {
  const dataDir = tempDir();
  const inbox = await startSmtpInbox();
  cleanups.push(() => inbox.close());
  const { emails } = await prepareDataDir(dataDir, 300);
  // Hold every mail unanswered at first: each worker then keeps its 8 claimed rows in flight, so
  // 24 held mails prove that three workers hold rows at the same time, and none the same row.
  inbox.hold();
  const env = {
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_SMTP_URL: `${inbox.url}?pool=true&maxConnections=8`,
    COUNTERSIGN_WORKER_LEASE_SECONDS: '60',
  };
  const workers: Child[] = await Promise.all([1, 2, 3].map(() => spawnCountersign(['worker'], env)));
  cleanups.push(async () => {
    for (const worker of workers) await worker.kill();
  });
  await waitFor('three workers to hold 8 rows each', () => inbox.heldCount() >= 24, 90_000);
  assert.equal(
    new Set(inbox.mails.map((mail) => mail.messageId)).size,
    inbox.mails.length,
    'no row was taken by two workers',
  );
  inbox.release();
  await waitFor('the workers to drain the outbox', () => pendingCount(dataDir, 'email') === 0, 120_000, 100);

  assert.equal(inbox.mails.length, 300);
  assert.equal(new Set(inbox.mails.map((mail) => mail.messageId)).size, 300);
  assert.deepEqual(inbox.mails.flatMap((mail) => mail.to).sort(), [...emails].sort());

  // SIGTERM: each worker stops claiming, finishes what it holds, and exits cleanly.
  const exits = workers.map(
    (worker) => new Promise<number | null>((resolve) => worker.process.once('exit', (code) => resolve(code))),
  );
  for (const worker of workers) worker.process.kill('SIGTERM');
  const codes = await Promise.race([
    Promise.all(exits),
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000)),
  ]);
  assert.deepEqual(codes, [0, 0, 0], workers.map((worker) => worker.output()).join('\n'));
});

test('CLI: a dead letter is listed, replayed once the cause is fixed, and delivered; a delivered row cannot be replayed', async () => {
  const dataDir = tempDir();
  const inbox = await startSmtpInbox();
  cleanups.push(() => inbox.close());
  const { emails } = await prepareDataDir(dataDir, 1);
  inbox.refused.add(emails[0]!);
  const app = await createApp(loadConfig({}, { dataDir, smtpUrl: inbox.url, logLevel: 'silent' }), { logger: false });
  cleanups.push(() => app.close());

  await app.delivery.worker.drainOnce();
  const dead = countersign('outbox', 'dead', '--json', '--data-dir', dataDir);
  assert.equal(dead.status, 0, dead.stderr);
  const [row] = JSON.parse(dead.stdout).data as { id: string; topic: string; status: string; last_error: string }[];
  assert.equal(row?.topic, 'email');
  assert.equal(row?.status, 'dead');
  assert.match(row?.last_error ?? '', /recipient_refused/, 'a permanent 550 is not retried');
  assert.equal(inbox.mails.length, 0);

  inbox.refused.clear();
  const replayed = countersign('outbox', 'replay', row!.id, '--json', '--data-dir', dataDir);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.deepEqual([JSON.parse(replayed.stdout).status, JSON.parse(replayed.stdout).attempts], ['pending', 0]);
  await app.delivery.worker.drainOnce();
  assert.deepEqual(
    inbox.mails.flatMap((mail) => mail.to),
    emails,
  );

  const again = countersign('outbox', 'replay', row!.id, '--data-dir', dataDir);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /is done, not dead/);
  const all = countersign('outbox', 'replay', '--all-dead', '--json', '--data-dir', dataDir);
  assert.deepEqual(JSON.parse(all.stdout), { replayed: 0 });
});

test('CLI: mails list shows the mails kept without SMTP', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const tenant = await server.createTenant('Acme Homes');
  const created = await nativeClient(server.baseUrl, tenant.apiKey).createRequest({
    title: 'Listed mail',
    signers: [{ name: 'Ann', email: 'ann@example.test' }],
  });
  await server.app.delivery.worker.drainOnce();
  const listed = countersign('mails', 'list', '--tenant', tenant.tenantId, '--json', '--data-dir', server.dataDir);
  assert.equal(listed.status, 0, listed.stderr);
  const mails = JSON.parse(listed.stdout).data as {
    subject: string;
    request_id: string;
    to: { address: string };
    message_id: string;
  }[];
  assert.deepEqual(
    mails.map((mail) => [mail.subject, mail.request_id, mail.to.address]),
    [['Please sign: Listed mail', created.id, 'ann@example.test']],
  );
  assert.match(mails[0]!.message_id, /^<cs\.obx_[0-9a-z]+@countersign\.local>$/);
  const other = countersign('mails', 'list', '--tenant', 'ten_nobody', '--data-dir', server.dataDir);
  assert.match(other.stdout, /no mails/);
});
