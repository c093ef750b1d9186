// Crash safety of the transactional outbox with real processes: the server runs as a child
// (`countersign serve`), mails go to a real SMTP server, and the child is SIGKILLed while
// deliveries are in flight, and separately during the batch cancel request itself. After a
// restart every cancelled request's mails arrive; none is lost, and a repeated delivery carries
// the same Message-ID as the first. Every wait is bounded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { call } from '../support/harness.js';
import {
  isWriteLocked,
  pendingCount,
  prepareDataDir,
  query,
  spawnCountersign,
  type Child,
} from './support/child-server.js';
import { startSmtpInbox, waitFor, type ReceivedMail, type SmtpInbox } from './support/smtp-inbox.js';

const REQUESTS = 1_000;
const children: Child[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const child of children) await child.kill();
  for (const cleanup of cleanups) await cleanup();
});

async function setUp(): Promise<
  { dataDir: string; inbox: SmtpInbox; env: Record<string, string> } & Awaited<ReturnType<typeof prepareDataDir>>
> {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-crash-'));
  const inbox = await startSmtpInbox();
  cleanups.push(
    () => inbox.close(),
    () => rmSync(dataDir, { recursive: true, force: true }),
  );
  const prepared = await prepareDataDir(dataDir, REQUESTS);
  // A short lease so that a killed worker's rows come back quickly; pooled SMTP connections (a
  // nodemailer option in the URL) so that 2,000 mails take seconds, not a minute.
  const env = {
    COUNTERSIGN_SMTP_URL: `${inbox.url}?pool=true&maxConnections=8`,
    COUNTERSIGN_WORKER_LEASE_SECONDS: '2',
    COUNTERSIGN_DATA_DIR: dataDir,
  };
  return { dataDir, inbox, env, ...prepared };
}

async function serve(env: Record<string, string>): Promise<Child> {
  const child = await spawnCountersign(['serve'], env, { serve: true });
  children.push(child);
  return child;
}

function cancellationsOf(inbox: SmtpInbox): ReceivedMail[] {
  return inbox.mails.filter((mail) => mail.subject.startsWith('Cancelled: Crash '));
}

async function waitUntilDrained(dataDir: string, what: string): Promise<void> {
  await waitFor(what, () => pendingCount(dataDir, 'email') === 0, 180_000, 200);
}

/** Every request got its cancellation mail; repeats (if any) carry the first one's Message-ID. */
function assertEveryCancellationDelivered(inbox: SmtpInbox, emails: string[]): { duplicates: number } {
  const byRecipient = new Map<string, ReceivedMail[]>();
  for (const mail of cancellationsOf(inbox)) {
    assert.equal(mail.to.length, 1);
    byRecipient.set(mail.to[0]!, [...(byRecipient.get(mail.to[0]!) ?? []), mail]);
  }
  const missing = emails.filter((email) => !byRecipient.has(email));
  assert.deepEqual(missing, [], `${missing.length} cancelled requests got no mail`);
  let duplicates = 0;
  for (const [recipient, mails] of byRecipient) {
    assert.equal(
      new Set(mails.map((mail) => mail.messageId)).size,
      1,
      `${recipient}: a repeat must carry the same Message-ID`,
    );
    duplicates += mails.length - 1;
  }
  assert.equal(byRecipient.size, emails.length);
  return { duplicates };
}

test('SIGKILL while cancellation mails are in flight: after a restart every mail arrives, repeats keep their Message-ID', async (t) => {
  const { dataDir, inbox, env, apiKey, ids, emails } = await setUp();
  let server = await serve(env);
  await waitFor('the invitations to go out', () => inbox.mails.length >= REQUESTS, 120_000);

  // Once 100 cancellation mails have arrived, the SMTP server stops answering: the worker's next
  // deliveries are received but never confirmed, which is exactly a crash mid-delivery.
  inbox.holdWhen((mails) => mails.filter((mail) => mail.subject.startsWith('Cancelled: Crash ')).length >= 100);
  const cancelled = await call(server.baseUrl, 'POST', '/v1/signature-requests/cancel', {
    body: { ids, notify: 'pending', message: 'Withdrawn.' },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body).slice(0, 500));
  assert.equal(cancelled.body.cancelled, REQUESTS);
  await waitFor('deliveries to be in flight', () => inbox.heldCount() > 0, 60_000, 5);
  await server.kill();
  const deliveredBeforeCrash = cancellationsOf(inbox).length;
  inbox.release();
  assert.ok(deliveredBeforeCrash < REQUESTS, 'the crash happened before all mails were out');
  assert.ok(pendingCount(dataDir, 'email') > 0, 'mail rows were left pending by the crash');

  server = await serve(env);
  await waitUntilDrained(dataDir, 'the restarted worker to drain the outbox');
  const { duplicates } = assertEveryCancellationDelivered(inbox, emails);
  assert.ok(duplicates >= 1, 'the mails in flight at the crash were sent again (at least once)');
  assert.deepEqual(query(dataDir, "SELECT id FROM outbox WHERE topic = 'email' AND status = 'dead'"), []);
  t.diagnostic(
    `${deliveredBeforeCrash} cancellation mails before the crash; ${duplicates} repeated after the restart, each with its Message-ID`,
  );
  await server.kill();
});

test('SIGKILL during the batch cancel request: the cancel is all or nothing, and its mails are never lost', async (t) => {
  const { dataDir, inbox, env, apiKey, ids, emails } = await setUp();
  // No worker in this first process: the only long writer is the batch cancel, so seeing the
  // database write-locked means the cancel's transaction is under way.
  let server = await serve({ ...env, COUNTERSIGN_WORKER: '0' });
  const body = { ids, notify: 'pending' };
  const headers = { authorization: `Bearer ${apiKey}` };
  const request = call(server.baseUrl, 'POST', '/v1/signature-requests/cancel', { body, headers }).then(
    (response) => response.status,
    () => 'connection lost' as const,
  );
  await waitFor('the batch cancel to hold the write lock', () => isWriteLocked(dataDir), 30_000, 1);
  await server.kill();
  const outcome = await request;

  const [counted] = query<{ count: number }>(
    dataDir,
    "SELECT COUNT(*) AS count FROM signature_requests WHERE status = 'cancelled'",
  );
  const cancelledAtCrash = counted?.count ?? -1;
  assert.ok(cancelledAtCrash === 0 || cancelledAtCrash === REQUESTS, `all or nothing, got ${cancelledAtCrash}`);
  const [rows] = query<{ count: number }>(
    dataDir,
    "SELECT COUNT(*) AS count FROM outbox WHERE topic = 'email' AND payload LIKE '%request_cancelled%'",
  );
  assert.equal(rows?.count, cancelledAtCrash, 'one mail row per cancelled request, written with the cancel');

  server = await serve(env);
  if (cancelledAtCrash === 0) {
    // The client never got an answer, so it retries, as clients do.
    const retried = await call(server.baseUrl, 'POST', '/v1/signature-requests/cancel', { body, headers });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.cancelled, REQUESTS);
  }
  await waitUntilDrained(dataDir, 'the outbox to drain after the restart');
  const { duplicates } = assertEveryCancellationDelivered(inbox, emails);
  t.diagnostic(
    `killed with the request ${outcome === 'connection lost' ? 'unanswered' : `answered ${outcome}`}; ${cancelledAtCrash} cancelled at the crash; ${duplicates} repeats`,
  );
  await server.kill();
});
