/** Steps the delivery tests share: a signer signing through their link, draining the worker. */
import assert from 'node:assert/strict';
import { call, type TestServer } from '../../support/harness.js';
import { signingPath } from '../../support/native.js';

/** View (the page reporting "viewed"), "Proceed to Sign", sign: the signer's status becomes signed. */
export async function signThroughLink(baseUrl: string, signingUrl: string): Promise<void> {
  const path = signingPath(signingUrl);
  assert.equal((await call(baseUrl, 'GET', path)).status, 200);
  assert.equal((await call(baseUrl, 'POST', `${path}/viewed`)).status, 200);
  assert.equal((await call(baseUrl, 'POST', `${path}/start`)).status, 200);
  const signed = await call(baseUrl, 'POST', `${path}/sign`, {
    body: { signature: { type: 'typed', text: 'Signed' } },
  });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
}

/** Handles every outbox row due now (follow-ups included). */
export function drain(server: TestServer): Promise<number> {
  return server.app.delivery.worker.drainOnce();
}

/** The outbox rows of a topic, straight from the database (for assertions only). */
export function outboxRows(
  server: TestServer,
  topic: string,
): {
  id: string;
  status: string;
  attempts: number;
  available_at: number;
  last_error: string | null;
  payload: string;
}[] {
  return server.db.prepare('SELECT * FROM outbox WHERE topic = ? ORDER BY id').all(topic) as never;
}
