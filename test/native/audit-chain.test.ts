import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';

let server: TestServer;
let client: NativeClient;

before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
  for (let index = 0; index < 3; index += 1) {
    const created = await client.createRequest();
    await client.request(
      'POST',
      `/v1/signature-requests/${created.id}/cancel`,
      { reason: `reason ${index}` },
      { 'user-agent': 'audit-test' },
    );
  }
});
after(async () => server.close());

const verify = async () => (await client.request('GET', '/v1/audit/verify')).body;

test('the events of a request are listed oldest first with actor, time, ip, user agent and reason', async () => {
  const created = await client.createRequest();
  await client.request(
    'POST',
    `/v1/signature-requests/${created.id}/cancel`,
    { reason: 'wrong person', actor: 'alice@example.com' },
    { 'user-agent': 'curl/8' },
  );
  const events = (await client.request('GET', `/v1/signature-requests/${created.id}/events`)).body.data;
  assert.deepEqual(
    events.map((event: { type: string }) => event.type),
    ['request.created', 'signer.notified', 'request.cancelled'],
  );
  const cancelled = events[2];
  assert.deepEqual(
    [cancelled.actor.type, cancelled.actor.id, cancelled.reason, cancelled.ip, cancelled.user_agent],
    ['user', 'alice@example.com', 'wrong person', '127.0.0.1', 'curl/8'],
  );
  assert.match(cancelled.actor.via, /^key_/);
  assert.equal(cancelled.prev_hash, events[1].hash);
});

test('an untouched chain verifies', async () => {
  const result = await verify();
  assert.equal(result.ok, true);
  assert.ok(result.checked >= 9);
});

test('an edited row is reported as the first broken link, and a deleted newest row is noticed', async () => {
  const db = server.db;
  const target = db
    .prepare('SELECT seq, reason FROM audit_events WHERE reason IS NOT NULL ORDER BY seq LIMIT 1')
    .get() as { seq: number; reason: string };
  db.prepare('UPDATE audit_events SET reason = ? WHERE seq = ?').run('nothing to see', target.seq);
  const edited = await verify();
  assert.equal(edited.ok, false);
  assert.deepEqual(edited.first_broken && [edited.first_broken.seq, edited.first_broken.problem], [
    target.seq,
    'hash_mismatch',
  ]);
  db.prepare('UPDATE audit_events SET reason = ? WHERE seq = ?').run(target.reason, target.seq);
  assert.equal((await verify()).ok, true, 'restoring the row restores the chain');

  const middle = db.prepare('SELECT seq FROM audit_events ORDER BY seq LIMIT 1 OFFSET 2').get() as { seq: number };
  const removed = db.prepare('SELECT * FROM audit_events WHERE seq = ?').get(middle.seq) as Record<string, unknown>;
  db.prepare('DELETE FROM audit_events WHERE seq = ?').run(middle.seq);
  const gap = await verify();
  assert.equal(gap.first_broken.problem, 'prev_hash_mismatch');
  assert.equal(gap.first_broken.seq, middle.seq + 1);
  db.prepare(
    `INSERT INTO audit_events (${Object.keys(removed).join(',')}) VALUES (${Object.keys(removed)
      .map(() => '?')
      .join(',')})`,
  ).run(...Object.values(removed));

  db.prepare('DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)').run();
  const truncated = await verify();
  assert.equal(truncated.ok, false);
  assert.equal(truncated.first_broken.problem, 'head_mismatch');
});
