/**
 * Cancel and sign racing on the same request end in exactly one outcome. The two sides run on two
 * server processes sharing one SQLite data dir, so the race crosses real database locks.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { nativeClient, signingPath } from '../support/native.js';

const PAIRS = 300;
let server: TestServer;
let child: ChildServer;

before(async () => {
  server = await startTestServer();
  child = await startChildServer(server.dataDir);
});
after(async () => {
  await child.stop();
  await server.close();
});

test(`${PAIRS} concurrent sign/cancel pairs: never both signed and cancelled`, async () => {
  const tenant = await server.createTenant();
  const creator = nativeClient(server.baseUrl, tenant.apiKey);
  const requests = [];
  for (let index = 0; index < PAIRS; index += 1) requests.push(await creator.createRequest({ title: `race ${index}` }));

  const outcomes = await Promise.all(
    requests.map(async (request, index) => {
      // Alternate which process signs and which cancels.
      const [signBase, cancelBase] =
        index % 2 === 0 ? [server.baseUrl, child.baseUrl] : [child.baseUrl, server.baseUrl];
      const path = signingPath(request.signers[0].signing_url);
      const signing = (async () => {
        const start = await call(signBase, 'POST', `${path}/start`);
        if (start.status !== 200) return { start: start.status, sign: 0 };
        const sign = await call(signBase, 'POST', `${path}/sign`, {
          body: { signature: { type: 'typed', text: 'Me' } },
        });
        return { start: start.status, sign: sign.status };
      })();
      // A little jitter so that either side may get there first on either process.
      const cancelling = new Promise((resolve) => setTimeout(resolve, Math.random() * 6)).then(() =>
        call(cancelBase, 'POST', `/v1/signature-requests/${request.id}/cancel`, {
          body: {},
          headers: { authorization: `Bearer ${tenant.apiKey}` },
        }),
      );
      const [signed, cancelled] = await Promise.all([signing, cancelling]);
      return {
        id: request.id as string,
        signed,
        cancel: { status: cancelled.status, code: cancelled.body?.code as string | undefined },
      };
    }),
  );

  const db = server.db;
  let cancelledCount = 0;
  let completedCount = 0;
  for (const outcome of outcomes) {
    const row = db.prepare('SELECT status FROM signature_requests WHERE id = ?').get(outcome.id) as { status: string };
    const signedSigners = (
      db.prepare("SELECT count(*) AS n FROM signers WHERE request_id = ? AND status = 'signed'").get(outcome.id) as {
        n: number;
      }
    ).n;
    const types = db.prepare('SELECT type FROM audit_events WHERE request_id = ?').pluck().all(outcome.id) as string[];
    assert.ok(
      ['cancelled', 'completed'].includes(row.status),
      `${outcome.id} ended ${row.status}: ${JSON.stringify(outcome)}`,
    );
    assert.ok(
      !(types.includes('request.cancelled') && types.includes('signer.signed')),
      `${outcome.id} has both signed and cancelled events`,
    );
    if (row.status === 'cancelled') {
      cancelledCount += 1;
      assert.equal(signedSigners, 0);
      assert.equal(outcome.cancel.status, 200);
      assert.notEqual(outcome.signed.sign, 200);
    } else {
      completedCount += 1;
      assert.equal(signedSigners, 1);
      assert.equal(outcome.signed.sign, 200);
      assert.ok(['active_session', 'already_signed'].includes(outcome.cancel.code ?? ''), JSON.stringify(outcome));
    }
  }
  assert.equal(cancelledCount + completedCount, PAIRS);
  const verify = await call(server.baseUrl, 'GET', '/v1/audit/verify', {
    headers: { authorization: `Bearer ${tenant.apiKey}` },
  });
  assert.equal(verify.body.ok, true, 'two processes appending to one tenant chain keep it intact');
  console.log(`race: ${cancelledCount} cancelled first, ${completedCount} signed first`);
});
