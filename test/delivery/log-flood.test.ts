// Log floods: a receiver that is down fails every delivery queued for it, again and again. The log
// gets the first failure, then at most one summary per interval, a line for dead letters and one
// when the target works again; the attempt log in the database keeps every attempt. A real server
// (real SQLite, real HTTP to a closed port, a real SMTP server), its real pino logger writing into
// an array; the clock is the only fake.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, test } from 'node:test';
import pino from 'pino';
import { freePort, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import { seedRequests } from '../support/seed.js';
import { startSmtpInbox, type SmtpInbox } from './support/smtp-inbox.js';

const HOUR = 3_600_000;
/** Rounds of the worker, the clock moved 2 h after each: past the 3-day retry window. */
const ROUNDS = 40;

type LogLine = {
  level: number;
  msg: string;
  component?: string;
  target?: string;
  repeated?: number;
  error?: string;
  failedAttempts?: number;
};

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function serverWithLog(overrides: Record<string, unknown>): Promise<{ server: TestServer; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const server = await startTestServer(overrides, { logger });
  cleanups.push(() => server.close());
  return { server, lines };
}

/** The outbox worker's warnings and errors (about `target`, or about no target at all). */
function failureLines(lines: readonly LogLine[], target: string): LogLine[] {
  return lines.filter(
    (line) =>
      line.component === 'outbox-worker' &&
      line.level >= 40 &&
      (line.target === undefined || line.target.startsWith(target)),
  );
}
/** Failures the lines account for: a first line stands for one, a summary (or the recovery line) for `repeated`. */
function failuresIn(lines: readonly LogLine[], target: string): number {
  const recovery = lines.filter((line) => line.msg === 'outbox deliveries recovered' && line.target === target);
  return [...failureLines(lines, target), ...recovery].reduce(
    (sum, line) => sum + (line.repeated ?? (line.level >= 40 ? 1 : 0)),
    0,
  );
}

async function runRounds(server: TestServer): Promise<void> {
  for (let round = 0; round < ROUNDS; round += 1) {
    await server.app.delivery.worker.drainOnce();
    server.clock.advance(2 * HOUR);
  }
}

test('an unreachable webhook endpoint: a bounded number of lines for thousands of failed attempts, and a line when it recovers', async (t) => {
  const { server, lines } = await serverWithLog({ allowPrivateWebhookTargets: true });
  const port = await freePort(); // nothing listens there (yet)
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const endpoint = await client.request('POST', '/v1/webhooks', {
    url: `http://127.0.0.1:${port}/hook`,
    events: ['*'],
  });
  assert.equal(endpoint.status, 201);
  const ids = await seedRequests(server.app.deps, tenant.tenantId, 100);
  assert.equal((await client.request('POST', '/v1/signature-requests/cancel', { ids })).status, 200);

  await runRounds(server);
  const db = server.db;
  const attempts = db.prepare('SELECT COUNT(*) FROM webhook_attempts').pluck().get() as number;
  const outcomes = db
    .prepare("SELECT SUM(attempts) FROM outbox WHERE topic = 'webhook.delivery'")
    .pluck()
    .get() as number;
  assert.equal(
    db.prepare("SELECT COUNT(*) FROM outbox WHERE topic = 'webhook.delivery' AND status = 'dead'").pluck().get(),
    100,
    'every delivery gave up',
  );
  assert.ok(attempts >= 1_000, `only ${attempts} attempts`);

  // Listening at last: the next delivery succeeds, and the log says so.
  const receiver = createServer((_request, response) => response.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => receiver.close(() => resolve())));
  const late = await client.createRequest();
  assert.equal((await client.request('POST', `/v1/signature-requests/${late.id}/cancel`, {})).status, 200);
  await server.app.delivery.worker.drainOnce();
  await server.close();

  const failed = failureLines(lines, `webhook endpoint ${endpoint.body.id}`);
  t.diagnostic(`webhook: ${attempts} failed attempts (${outcomes} outcomes), ${failed.length} warn/error lines`);
  // A first line, a first dead letter, at most one summary of each per round (2 h > 5 min), and the final flush.
  assert.ok(failed.length <= 2 * ROUNDS + 4, `${failed.length} lines for ${attempts} attempts`);
  assert.ok(failed.length * 10 < attempts, `${failed.length} lines for ${attempts} attempts`);
  assert.equal(
    failuresIn(lines, `webhook endpoint ${endpoint.body.id}`),
    outcomes,
    'every failure is counted in some line',
  );
  assert.ok(
    failed.some((line) => (line.repeated ?? 0) > 10 && /connection_failed/.test(line.error ?? '')),
    'a summary with the count and the last error',
  );
  assert.ok(failed.some((line) => line.msg === 'outbox row dead-lettered'));
  const recovered = lines.find((line) => line.msg === 'outbox deliveries recovered');
  assert.equal(recovered?.target, `webhook endpoint ${endpoint.body.id}`);
});

test('an unreachable SMTP server: the mail failures are summarised too, and the recovery is logged', async (t) => {
  const smtpPort = await freePort();
  const { server, lines } = await serverWithLog({ smtpUrl: `smtp://127.0.0.1:${smtpPort}` });
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const ids = await seedRequests(server.app.deps, tenant.tenantId, 60);
  assert.equal((await client.request('POST', '/v1/signature-requests/cancel', { ids, notify: 'all' })).status, 200);

  for (let round = 0; round < 10; round += 1) {
    await server.app.delivery.worker.drainOnce();
    server.clock.advance(HOUR);
  }
  const outcomes = server.db.prepare("SELECT SUM(attempts) FROM outbox WHERE topic = 'email'").pluck().get() as number;
  assert.ok(outcomes >= 300, `only ${outcomes} failed mail attempts`);

  const inbox: SmtpInbox = await startSmtpInbox(smtpPort);
  cleanups.push(() => inbox.close());
  server.clock.advance(7 * HOUR);
  await server.app.delivery.worker.drainOnce();
  assert.ok(inbox.mails.length > 0);
  await server.close();

  const failed = failureLines(lines, 'email');
  t.diagnostic(`smtp: ${outcomes} failed attempts, ${failed.length} warn/error lines`);
  assert.ok(failed.length <= 2 * 10 + 2, `${failed.length} lines for ${outcomes} failed attempts`);
  assert.equal(failuresIn(lines, 'email'), outcomes, 'every failure is counted in some line');
  assert.equal(lines.find((line) => line.msg === 'outbox deliveries recovered')?.target, 'email');
});

test('purges while a reader holds the write-ahead log back: one warning, not one per purge', async () => {
  const { server, lines } = await serverWithLog({});
  const tenant = await server.createTenant();
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  const ids = await seedRequests(server.app.deps, tenant.tenantId, 3);
  assert.equal(
    (await client.request('POST', '/v1/signature-requests/cancel', { ids, retention: 'purge', notify: 'none' })).status,
    200,
  );
  // Another connection keeps a read snapshot open: no checkpoint can truncate the log meanwhile.
  const reader = new Database(join(server.dataDir, 'countersign.sqlite'), { readonly: true });
  reader.prepare('BEGIN').run();
  reader.prepare('SELECT COUNT(*) FROM outbox').get();
  try {
    await server.app.delivery.worker.drainOnce();
  } finally {
    reader.prepare('COMMIT').run();
    reader.close();
  }
  for (const id of ids)
    assert.notEqual((await client.request('GET', `/v1/signature-requests/${id}`)).body.document.purged_at, null);
  assert.equal(lines.filter((line) => /could not be checkpointed/.test(line.msg)).length, 1);
});
