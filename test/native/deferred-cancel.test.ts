/**
 * Deferred cancellation (ADR 7) over real HTTP: `on_active_session: "defer"` answers 202 with the
 * pending cancellation, stops new sign sessions, and is carried out by the outbox worker when the
 * blocking session ends: cancelled, or refused when the session ended with a signature or a decline.
 * The worker is driven with drainOnce and the clock moved by hand, so every step is deterministic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

let server: TestServer;
let client: NativeClient;
let other: NativeClient;
const ann = { name: 'Ann', email: 'ann@example.com' };
const bob = { name: 'Bob', email: 'bob@example.com' };

before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant('Acme')).apiKey);
  other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
});
after(async () => server.close());

type Created = { id: string; signers: { signing_url: string }[] };
const link = (request: Created, index = 0) => signingPath(request.signers[index]!.signing_url);
const post = (path: string, body?: unknown) => call(server.baseUrl, 'POST', path, body === undefined ? {} : { body });
const cancel = (id: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  client.request('POST', `/v1/signature-requests/${id}/cancel`, body, headers);
const defer = (id: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  cancel(id, { ...body, on_active_session: 'defer' }, headers);
const get = async (id: string) => (await client.request('GET', `/v1/signature-requests/${id}`)).body;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const events = async (id: string): Promise<{ type: string; actor: { id: string }; data: Record<string, any> }[]> =>
  (await client.request('GET', `/v1/signature-requests/${id}/events`)).body.data;
const drain = () => server.app.delivery.worker.drainOnce();
const sign = (path: string) => post(`${path}/sign`, { signature: { type: 'typed', text: 'Signed' } });
async function startSession(path: string): Promise<{ id: string; expires_at: string }> {
  const started = await post(`${path}/start`);
  assert.equal(started.status, 200, JSON.stringify(started.body));
  return started.body.session;
}
/** Moves the test clock to `ms` after the given time. */
const moveTo = (iso: string, ms: number) => server.clock.advance(Date.parse(iso) + ms - server.clock.now());
const count = (table: string) => (server.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('deferring a cancel blocked by a sign session', () => {
  test('202 with the pending cancellation; no new session starts; the cancel happens when the session ends unfinished', async () => {
    const created = await client.createRequest({ signers: [ann, bob] });
    const session = await startSession(link(created, 0));
    const deferred = await defer(created.id, {
      reason: 'wrong clause',
      message: 'A corrected version follows',
      reason_code: 'document_error',
      notify: 'all',
      actor: 'owner@example.com',
    });
    assert.equal(deferred.status, 202, JSON.stringify(deferred.body));
    const pending = deferred.body.pending_cancellation;
    assert.deepEqual(
      { ...pending, id: undefined },
      {
        id: undefined,
        request_id: created.id,
        requested_at: new Date(server.clock.now()).toISOString(),
        actor: { type: 'user', id: 'owner@example.com', display: 'owner@example.com', via: pending.actor.via },
        reason: 'wrong clause',
        message: 'A corrected version follows',
        reason_code: 'document_error',
        notify: 'all',
        retention: { mode: 'retain' },
      },
    );
    assert.match(pending.id, /^pcl_/);
    assert.equal(deferred.body.signature_request.status, 'pending');
    assert.deepEqual(deferred.body.signature_request.pending_cancellation, pending);
    assert.deepEqual((await get(created.id)).pending_cancellation, pending);

    // Bob may not start a session now; his page says the sender is withdrawing the request.
    const refused = await post(`${link(created, 1)}/start`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'cancel_pending');
    assert.equal((await call(server.baseUrl, 'GET', link(created, 1))).body.cancellation_pending, true);
    // Ann, in session, pressing again gets her session back unchanged: not a new one, not a longer one.
    assert.deepEqual((await post(`${link(created, 0)}/start`)).body.session, session);
    // A plain cancel is still refused while the session lasts, and shows what is pending.
    const plain = await cancel(created.id);
    assert.equal(plain.body.code, 'active_session');
    assert.deepEqual(plain.body.signature_request.pending_cancellation, pending);

    moveTo(session.expires_at, -1000);
    await drain();
    assert.equal((await get(created.id)).status, 'pending', 'nothing happens before the session ends');
    moveTo(session.expires_at, 1);
    await drain();
    const cancelled = await get(created.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.pending_cancellation, null);
    assert.deepEqual(cancelled.cancellation, {
      cancelled_at: new Date(Date.parse(session.expires_at) + 1).toISOString(),
      actor: pending.actor,
      reason: 'wrong clause',
      message: 'A corrected version follows',
      reason_code: 'document_error',
      notify: 'all',
    });
    const trail = await events(created.id);
    const deferredEvent = trail.find((event) => event.type === 'request.cancel_deferred')!;
    assert.equal(deferredEvent.actor.id, 'owner@example.com');
    assert.equal(deferredEvent.data.pending_cancellation_id, pending.id);
    assert.equal(deferredEvent.data.sessions_end_by, Date.parse(session.expires_at));
    const cancelledEvent = trail.find((event) => event.type === 'request.cancelled')!;
    assert.equal(cancelledEvent.actor.id, 'owner@example.com', "carried out as the sender's own cancel");
    assert.deepEqual(cancelledEvent.data.deferred, {
      pending_cancellation_id: pending.id,
      requested_at: Date.parse(pending.requested_at),
    });
    // The ordinary cancel's consequences: both signers are mailed the message (notify all), the link is gone.
    const mails = (await client.request('GET', `/v1/mails?request_id=${created.id}`)).body.data as {
      template: string;
      to: { address: string };
      text: string;
    }[];
    const notices = mails.filter((mail) => mail.template === 'request_cancelled');
    assert.deepEqual(notices.map((mail) => mail.to.address).sort(), ['ann@example.com', 'bob@example.com']);
    assert.ok(notices.every((mail) => mail.text.includes('A corrected version follows')));
    const gone = await call(server.baseUrl, 'GET', link(created, 0));
    assert.equal(gone.status, 410);
    assert.equal(gone.body.message, 'A corrected version follows');
  });

  test('the session ends with the last signature: the deferred cancel ends refused (already_signed), audited', async () => {
    const created = await client.createRequest();
    await startSession(link(created));
    const pending = (await defer(created.id, { reason: 'changed my mind' })).body.pending_cancellation;
    assert.equal((await sign(link(created))).status, 200);
    await drain(); // the signature queued the decision for now, not for the session's expiry
    const request = await get(created.id);
    assert.equal(request.status, 'completed');
    assert.equal(request.pending_cancellation, null);
    const refusal = (await events(created.id)).find((event) => event.type === 'request.cancel_refused')!;
    assert.equal(refusal.data.code, 'already_signed');
    assert.equal(refusal.data.deferred.pending_cancellation_id, pending.id);
    assert.equal(refusal.actor.id, pending.actor.id);
  });

  test('the session ends with a decline: the deferred cancel ends refused (declined)', async () => {
    const created = await client.createRequest();
    await startSession(link(created));
    await defer(created.id);
    assert.equal((await post(`${link(created)}/decline`, { reason: 'Not my name' })).status, 200);
    await drain();
    const request = await get(created.id);
    assert.equal(request.status, 'declined');
    assert.equal(request.pending_cancellation, null);
    assert.equal(
      (await events(created.id)).find((event) => event.type === 'request.cancel_refused')?.data.code,
      'declined',
    );
  });

  test('one of two signers signs: the request is still cancellable, so the cancel happens at once', async () => {
    const created = await client.createRequest({ signers: [ann, bob] });
    await startSession(link(created, 0));
    await defer(created.id, { notify: 'none' });
    assert.equal((await sign(link(created, 0))).body.request_status, 'partially_signed');
    await drain();
    assert.equal((await get(created.id)).status, 'cancelled');
  });

  test('without an active session, defer cancels at once (200, as a plain cancel)', async () => {
    const created = await client.createRequest();
    const cancelled = await defer(created.id, { reason: 'no session' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.signature_request.status, 'cancelled');
    assert.deepEqual(cancelled.body.cancelled_request_ids, [created.id]);
  });
});

describe('a pending cancellation', () => {
  test('a second defer answers 202 with the same pending cancellation and writes nothing', async () => {
    const created = await client.createRequest();
    await startSession(link(created));
    const first = await defer(created.id, { reason: 'first' });
    const footprint = [count('audit_events'), count('outbox'), count('pending_cancellations')];
    const second = await defer(created.id, { reason: 'second' });
    assert.equal(second.status, 202);
    assert.deepEqual(second.body.pending_cancellation, first.body.pending_cancellation);
    assert.equal(second.body.pending_cancellation.reason, 'first');
    assert.deepEqual([count('audit_events'), count('outbox'), count('pending_cancellations')], footprint);
  });

  test('Idempotency-Key replays the 202', async () => {
    const created = await client.createRequest();
    await startSession(link(created));
    const headers = { 'idempotency-key': `defer-${created.id}` };
    const first = await defer(created.id, { reason: 'r' }, headers);
    const replay = await defer(created.id, { reason: 'r' }, headers);
    assert.equal(replay.status, 202);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, first.body);
    assert.equal((await defer(created.id, { reason: 'other' }, headers)).body.code, 'idempotency_key_reused');
  });

  test('can be withdrawn: audited, sessions may start again, and its outbox row then does nothing', async () => {
    const created = await client.createRequest({ signers: [ann, bob] });
    const session = await startSession(link(created, 0));
    const pending = (await defer(created.id)).body.pending_cancellation;
    const foreign = await other.request('DELETE', `/v1/signature-requests/${created.id}/pending-cancellation`);
    const missing = await other.request('DELETE', '/v1/signature-requests/sr_doesnotexist/pending-cancellation');
    assert.equal(foreign.status, 404);
    assert.deepEqual([foreign.body.code, foreign.body.detail], [missing.body.code, missing.body.detail]);

    const withdrawn = await client.request('DELETE', `/v1/signature-requests/${created.id}/pending-cancellation`);
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.deepEqual(withdrawn.body.withdrawn, pending);
    assert.equal(withdrawn.body.signature_request.pending_cancellation, null);
    const again = await client.request('DELETE', `/v1/signature-requests/${created.id}/pending-cancellation`);
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'not_found');
    await startSession(link(created, 1)); // Bob may start now
    moveTo(session.expires_at, 1);
    await drain();
    assert.equal((await get(created.id)).status, 'pending', 'the withdrawn cancel never happens');
    const trail = await events(created.id);
    assert.equal(
      trail.find((event) => event.type === 'request.cancel_withdrawn')?.data.pending_cancellation_id,
      pending.id,
    );
    assert.equal(
      trail.some((event) => event.type === 'request.cancelled' || event.type === 'request.cancel_refused'),
      false,
    );
  });

  test('a plain cancel once the session is over supersedes it: one cancel, no refusal later', async () => {
    const created = await client.createRequest();
    const session = await startSession(link(created));
    const pending = (await defer(created.id, { reason: 'deferred' })).body.pending_cancellation;
    moveTo(session.expires_at, 1);
    const plain = await cancel(created.id, { reason: 'plain' }); // before the worker gets to it
    assert.equal(plain.status, 200);
    assert.equal(plain.body.signature_request.pending_cancellation, null);
    await drain();
    const trail = await events(created.id);
    assert.equal(trail.filter((event) => event.type === 'request.cancelled').length, 1);
    assert.equal(
      trail.find((event) => event.type === 'request.cancelled')?.data.superseded_pending_cancellation,
      pending.id,
    );
    assert.equal(
      trail.some((event) => event.type === 'request.cancel_refused'),
      false,
    );
    assert.equal((await get(created.id)).cancellation.reason, 'plain');
  });
});

describe('sequences and batches', () => {
  test('a session on one member defers the cancel of the whole sequence, and holds every member', async () => {
    const sequence = (await client.request('POST', '/v1/sequences', { title: 'Onboarding' })).body;
    const first = await client.createRequest({ sequenceId: sequence.id });
    const second = await client.createRequest({ sequenceId: sequence.id });
    const session = await startSession(link(second));
    const deferred = await defer(first.id, { reason: 'whole sequence' });
    assert.equal(deferred.status, 202);
    assert.equal((await get(second.id)).pending_cancellation.id, deferred.body.pending_cancellation.id);
    assert.equal((await post(`${link(first)}/start`)).body.code, 'cancel_pending');
    assert.equal(
      (await defer(second.id)).body.pending_cancellation.id,
      deferred.body.pending_cancellation.id,
      'one per sequence',
    );
    moveTo(session.expires_at, 1);
    await drain();
    assert.deepEqual([(await get(first.id)).status, (await get(second.id)).status], ['cancelled', 'cancelled']);
  });

  test('batch: a blocked item is deferred, the others cancelled or refused as usual; a dry run writes nothing', async () => {
    const inSession = await client.createRequest();
    const free = await client.createRequest();
    const signed = await client.createRequest();
    await startSession(link(signed));
    await sign(link(signed));
    await startSession(link(inSession));
    const ids = [inSession.id, free.id, signed.id];
    const footprint = [count('audit_events'), count('outbox'), count('pending_cancellations')];
    const dry = await client.request('POST', '/v1/signature-requests/cancel', {
      ids,
      on_active_session: 'defer',
      dry_run: true,
    });
    assert.deepEqual(
      dry.body.items.map((item: { outcome: string }) => item.outcome),
      ['would_defer', 'would_cancel', 'refused'],
    );
    assert.deepEqual([count('audit_events'), count('outbox'), count('pending_cancellations')], footprint);

    const batch = await client.request('POST', '/v1/signature-requests/cancel', {
      ids,
      on_active_session: 'defer',
      reason: 'batch',
    });
    assert.equal(batch.status, 200);
    assert.deepEqual([batch.body.cancelled, batch.body.deferred, batch.body.refused], [1, 1, 1]);
    assert.deepEqual(
      batch.body.items.map((item: { outcome: string }) => item.outcome),
      ['deferred', 'cancelled', 'refused'],
    );
    assert.equal(batch.body.items[0].pending_cancellation.reason, 'batch');
    assert.equal(batch.body.items[2].code, 'already_signed');
    const plain = await client.request('POST', '/v1/signature-requests/cancel', { ids: [inSession.id] });
    assert.equal(plain.body.items[0].code, 'active_session', 'without defer the batch still refuses');
  });
});
