/** Steps the webhook tests share: a server with the worker on, endpoints, attempts, outbox rows, retries. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import type { NativeClient } from '../support/native.js';
import { startReceiver, until, type Receiver, type Responder } from './receiver.js';

/** Receivers listen on 127.0.0.1, so these servers allow private webhook targets. */
export function startWebhookServer(): Promise<TestServer> {
  return startTestServer({ allowPrivateWebhookTargets: true }, { worker: true });
}

/** A webhook server and one receiver, both closed when the test ends. */
export async function serverWithReceiver(
  t: TestContext,
  responder?: Responder,
): Promise<{ server: TestServer; receiver: Receiver }> {
  const server = await startWebhookServer();
  const receiver = await startReceiver(responder);
  t.after(async () => {
    await server.close();
    await receiver.close();
  });
  return { server, receiver };
}

export interface AttemptView {
  id: string;
  event_id: string;
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response_snippet: string | null;
  created_at: string;
}

export async function registerNative(
  client: NativeClient,
  url: string,
  events: string[] = ['*'],
): Promise<{ id: string; secret: string }> {
  const created = await client.request('POST', '/v1/webhooks', { url, events });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

/** Every attempt to the endpoint, newest first, through the API. */
export async function attemptsOf(client: NativeClient, endpointId: string): Promise<AttemptView[]> {
  const response = await client.request('GET', `/v1/webhooks/${endpointId}/deliveries?limit=1000`);
  assert.equal(response.status, 200);
  return response.body.data;
}

export async function auditEventId(client: NativeClient, requestId: string, auditType: string): Promise<string> {
  const events = await client.request('GET', `/v1/signature-requests/${requestId}/events`);
  const event = (events.body.data as { id: string; type: string }[]).find((candidate) => candidate.type === auditType);
  assert.ok(event, `no ${auditType} event`);
  return event.id;
}

export interface OutboxRowView {
  id: string;
  status: string;
  attempts: number;
  available_at: number;
  last_error: string | null;
  lease_owner: string | null;
  payload: string;
}

export function outboxRow(server: TestServer, id: string): OutboxRowView {
  const row = server.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRowView | undefined;
  assert.ok(row, `no outbox row ${id}`);
  return row;
}

export function outboxRowsOf(server: TestServer, topic: string): OutboxRowView[] {
  return server.db.prepare('SELECT * FROM outbox WHERE topic = ? ORDER BY id').all(topic) as OutboxRowView[];
}

/** The fan-out's delivery rows, once the worker made at least `count` of them. */
export async function deliveryRows(server: TestServer, count = 1): Promise<OutboxRowView[]> {
  await until(
    () => outboxRowsOf(server, 'webhook.delivery').length >= count,
    30_000,
    () => `expected ${count} webhook.delivery rows`,
  );
  return outboxRowsOf(server, 'webhook.delivery');
}

/** Waits until the worker recorded the outcome of at least `attempts` attempts of the row. */
export async function untilOutcomes(server: TestServer, id: string, attempts: number): Promise<OutboxRowView> {
  await until(
    () => {
      const row = server.db.prepare('SELECT attempts, status FROM outbox WHERE id = ?').get(id) as
        { attempts: number; status: string } | undefined;
      return row !== undefined && (row.attempts >= attempts || row.status !== 'pending');
    },
    60_000,
    () => `outbox row ${id} never reached ${attempts} outcomes`,
  );
  return outboxRow(server, id);
}

/** Moves the test clock to when the row is due and nudges the worker. */
export function makeDue(server: TestServer, row: OutboxRowView): void {
  server.clock.advance(Math.max(0, row.available_at - server.clock.now()));
  server.app.delivery.worker.wake();
}

const NATIVE_BASE_DELAY_MS = 30_000;
const NATIVE_MAX_DELAY_MS = 6 * 3_600_000;

/**
 * Lets the native schedule run its course against a receiver that keeps failing: checks each
 * retry time against the schedule (full jitter under 30 s doubling, capped at 6 h), jumps the clock
 * to it, and stops when the row is dead-lettered. Returns the dead row.
 */
export async function driveNativeRetriesToDeadLetter(
  server: TestServer,
  deliveryId: string,
  attemptTimes: () => Promise<number[]>,
): Promise<OutboxRowView> {
  let row = await untilOutcomes(server, deliveryId, 1);
  for (let attempt = 1; row.status === 'pending'; attempt += 1) {
    assert.ok(attempt < 20, 'the native schedule gives up after at most 20 attempts');
    const [lastAttemptAt] = await attemptTimes();
    const ceiling = Math.min(NATIVE_MAX_DELAY_MS, NATIVE_BASE_DELAY_MS * 2 ** (attempt - 1));
    assert.ok(
      row.available_at >= lastAttemptAt! && row.available_at <= lastAttemptAt! + ceiling,
      `retry ${attempt} is due ${row.available_at - lastAttemptAt!} ms after the attempt, beyond the ${ceiling} ms ceiling`,
    );
    makeDue(server, row);
    row = await untilOutcomes(server, deliveryId, attempt + 1);
  }
  assert.equal(row.status, 'dead');
  return row;
}
