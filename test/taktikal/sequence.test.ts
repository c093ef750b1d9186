/** Sequential signing: creation, and cancellation as a whole (from one process or the sequence endpoint). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import {
  createTaktikalTenant,
  outboxRows,
  processBody,
  signThroughLink,
  type TaktikalTenant,
} from './taktikal-client.js';

let server: TestServer;
let tenant: TaktikalTenant;
before(async () => {
  server = await startTestServer();
  tenant = await createTaktikalTenant(server);
});
after(async () => server.close());

const people = [
  { name: 'Dagný', ssn: '6000101992', email: 'dagny@example.com', communicationDeliveryType: 'email' },
  { name: 'Maðkur', ssn: '6000101997', email: 'madkur@example.com', communicationDeliveryType: 'email' },
];

async function createSequence(processes = 2) {
  const response = await tenant.client.request('POST', '/management/signing/sequential', {
    body: {
      user: 'owner@example.com',
      SignInOrder: false,
      RequiresAuth: false,
      CreateSigningProcesses: await Promise.all(Array.from({ length: processes }, () => processBody(people))),
    },
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

const statuses = async (keys: string[]) => {
  const client = nativeClient(server.baseUrl, tenant.apiKey);
  return Promise.all(
    keys.map(async (key) => (await client.request('GET', `/v1/signature-requests/${key}`)).body.status),
  );
};

function cancelledEventsOf(requestId: string): number {
  return server.db
    .prepare("SELECT COUNT(*) FROM audit_events WHERE request_id = ? AND type = 'request.cancelled'")
    .pluck()
    .get(requestId) as number;
}

describe('sequences', () => {
  test('create: a pg… key, processes that name it, one signee group per person across documents', async () => {
    const sequence = await createSequence();
    assert.match(sequence.key, /^pg[0-9a-f]{18}$/);
    assert.equal(sequence.status, 'Created');
    assert.equal(sequence.user, 'owner@example.com');
    assert.equal(sequence.signingProcesses.length, 2);
    for (const process of sequence.signingProcesses) assert.equal(process.sequenceKey, sequence.key);
    assert.equal(sequence.signees.length, 2);
    for (const group of sequence.signees) {
      assert.match(group.key, /^gs[0-9a-f]{10}$/);
      assert.deepEqual(
        group.signingKeys.map((keys: { processKey: string }) => keys.processKey),
        sequence.signingProcesses.map((process: { key: string }) => process.key),
      );
    }
  });

  test('cancelling one process cancels the whole sequence, one audit event per request', async () => {
    const sequence = await createSequence(3);
    const keys = sequence.signingProcesses.map((process: { key: string }) => process.key);
    const before = outboxRows(server, tenant.tenantId).length;
    const response = await tenant.client.request(
      'DELETE',
      `/management/signing?ProcessKey=${keys[1]}&User=boss@example.com`,
    );
    assert.equal(response.status, 204);
    assert.deepEqual(await statuses(keys), ['cancelled', 'cancelled', 'cancelled']);
    const client = nativeClient(server.baseUrl, tenant.apiKey);
    for (const key of keys) {
      const view = (await client.request('GET', `/v1/signature-requests/${key}`)).body;
      assert.equal(cancelledEventsOf(view.id), 1, key);
    }
    const emails = outboxRows(server, tenant.tenantId)
      .slice(before)
      .filter((row) => row.topic === 'email' && row.payload.template === 'request_cancelled');
    assert.equal(emails.length, 6, 'every signee of every document is told');
  });

  test('DELETE /management/signing/sequential cancels every process and answers the SequentialSigning', async () => {
    const sequence = await createSequence();
    const response = await tenant.client.request(
      'DELETE',
      `/management/signing/sequential?SequenceKey=${sequence.key}&User=owner@example.com`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.key, sequence.key);
    assert.equal(response.body.status, 'Canceled');
    assert.deepEqual(
      response.body.signingProcesses.map((process: { status: string }) => process.status),
      ['Canceled', 'Canceled'],
    );
    assert.deepEqual(await statuses(sequence.signingProcesses.map((process: { key: string }) => process.key)), [
      'cancelled',
      'cancelled',
    ]);
    const again = await tenant.client.request(
      'DELETE',
      `/management/signing/sequential?SequenceKey=${sequence.key}&User=owner@example.com`,
    );
    assert.equal(again.status, 400);
    assert.equal(again.body.responseStatus.errorCode, 'AlreadyCanceled');
  });

  test('a sequence whose first document is complete: the sequence cancel takes the rest', async () => {
    const sequence = await createSequence();
    for (const signee of sequence.signingProcesses[0].signees) await signThroughLink(server, signee.url);
    const response = await tenant.client.request(
      'DELETE',
      `/management/signing/sequential?SequenceKey=${sequence.key}&User=owner@example.com`,
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(await statuses(sequence.signingProcesses.map((process: { key: string }) => process.key)), [
      'completed',
      'cancelled',
    ]);
  });

  test('the sequence cancel needs both SequenceKey and User; unknown and foreign keys are 404', async () => {
    const sequence = await createSequence(1);
    const noUser = await tenant.client.request('DELETE', `/management/signing/sequential?SequenceKey=${sequence.key}`);
    assert.equal(noUser.status, 400);
    assert.equal(noUser.body.responseStatus.errors[0].fieldName, 'User');
    const noKey = await tenant.client.request('DELETE', '/management/signing/sequential?User=owner@example.com');
    assert.equal(noKey.status, 400);
    assert.equal(
      (
        await tenant.client.request(
          'DELETE',
          '/management/signing/sequential?SequenceKey=pg000000000000000000&User=owner@example.com',
        )
      ).status,
      404,
    );
    const other = await createTaktikalTenant(server, 'Other');
    assert.equal(
      (
        await other.client.request(
          'DELETE',
          `/management/signing/sequential?SequenceKey=${sequence.key}&User=owner@example.com`,
        )
      ).status,
      404,
    );
    assert.deepEqual(await statuses([sequence.signingProcesses[0].key]), ['pending']);
  });

  test('a sequence with one bad document creates nothing at all', async () => {
    const fresh = await createTaktikalTenant(server, 'Fresh');
    const good = await processBody(people);
    const response = await fresh.client.request('POST', '/management/signing/sequential', {
      body: {
        user: 'owner@example.com',
        createSigningProcesses: [good, good, { ...good, pdfDocument: Buffer.from('not a pdf').toString('base64') }],
      },
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.responseStatus.errors[0].fieldName, 'CreateSigningProcesses[2].PdfDocument');
    const list = await nativeClient(server.baseUrl, fresh.apiKey).request('GET', '/v1/signature-requests');
    assert.equal(list.body.data.length, 0);
  });

  /** What a tenant has in the database: requests, sequences, the surface's rows, outbox rows. */
  const rowsOf = (tenantId: string) =>
    Object.fromEntries(
      ['signature_requests', 'sequences', 'taktikal_sequences', 'taktikal_processes', 'outbox'].map((table) => [
        table,
        (server.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`).get(tenantId) as { n: number }).n,
      ]),
    );
  const nothing = {
    signature_requests: 0,
    sequences: 0,
    taktikal_sequences: 0,
    taktikal_processes: 0,
    outbox: 0,
  };

  test('a sequence whose third process the core refuses (a blank title) creates nothing at all', async () => {
    const fresh = await createTaktikalTenant(server, 'Fresh');
    const good = await processBody(people);
    const response = await fresh.client.request('POST', '/management/signing/sequential', {
      body: {
        user: 'owner@example.com',
        createSigningProcesses: [good, good, { ...good, activityDisplayName: '   ' }],
      },
    });
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.deepEqual(rowsOf(fresh.tenantId), nothing);
  });

  test('a storage failure while writing the third process leaves no half sequence: one commit or none', async () => {
    const fresh = await createTaktikalTenant(server, 'Fresh');
    // A real SQLite failure in the middle of the writes: the third taktikal_processes row of this tenant is refused.
    server.db.exec(`CREATE TRIGGER test_third_process_fails BEFORE INSERT ON taktikal_processes
      WHEN NEW.tenant_id = '${fresh.tenantId}'
        AND (SELECT count(*) FROM taktikal_processes WHERE tenant_id = NEW.tenant_id) >= 2
      BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END`);
    try {
      const good = await processBody(people);
      const response = await fresh.client.request('POST', '/management/signing/sequential', {
        body: { user: 'owner@example.com', createSigningProcesses: [good, good, good] },
      });
      assert.equal(response.status, 500, JSON.stringify(response.body));
      assert.deepEqual(rowsOf(fresh.tenantId), nothing);
    } finally {
      server.db.exec('DROP TRIGGER test_third_process_fails');
    }
  });

  test('user and at least one process are required', async () => {
    const response = await tenant.client.request('POST', '/management/signing/sequential', {
      body: { createSigningProcesses: [] },
    });
    assert.equal(response.status, 400);
    const fields = response.body.responseStatus.errors.map((error: { fieldName: string }) => error.fieldName).sort();
    assert.deepEqual(fields, ['CreateSigningProcesses', 'User']);
  });
});
