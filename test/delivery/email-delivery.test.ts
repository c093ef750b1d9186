// Email delivery end to end: a real server (real SQLite, real HTTP) whose outbox worker sends to a
// real SMTP server (smtp-server, parsed back with mailparser). The clock is the only fake.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { messageIdFor } from '../../src/delivery/email/mailer.js';
import { freePort, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';
import { drain, outboxRows, signThroughLink } from './support/flows.js';
import { startSmtpInbox, waitFor, type SmtpInbox } from './support/smtp-inbox.js';

const FROM = 'Countersign <no-reply@countersign.local>';
const HOUR = 3_600_000;

/** A: order 1, signs. B: order 1, notified. C: order 2, still waiting. */
async function partlySignedRequest(server: TestServer, client: NativeClient, title: string, ownerEmail?: string) {
  const tag = title.toLowerCase().replace(/\W+/g, '-');
  const created = await client.createRequest({
    title,
    ...(ownerEmail ? { ownerEmail } : {}),
    signers: [
      { name: 'Ann', email: `ann-${tag}@example.test`, order: 1 },
      { name: 'Bob', email: `bob-${tag}@example.test`, order: 1 },
      { name: 'Cy', email: `cy-${tag}@example.test`, order: 2 },
    ],
  });
  await signThroughLink(server.baseUrl, created.signers[0].signing_url);
  return { created, ann: `ann-${tag}@example.test`, bob: `bob-${tag}@example.test`, cy: `cy-${tag}@example.test` };
}

describe('with SMTP configured', () => {
  let inbox: SmtpInbox;
  let server: TestServer;
  let client: NativeClient;
  before(async () => {
    inbox = await startSmtpInbox();
    server = await startTestServer({ smtpUrl: inbox.url });
    client = nativeClient(server.baseUrl, (await server.createTenant('Acme Homes')).apiKey);
  });
  after(async () => {
    await server.close();
    await inbox.close();
  });

  test("invitations carry each signer's own signing link and a Message-ID derived from the outbox row", async () => {
    const created = await client.createRequest({
      title: 'Invitation check',
      signers: [
        { name: 'Dee', email: 'dee@example.test' },
        { name: 'Eve', email: 'eve@example.test', order: 2 },
      ],
    });
    await drain(server);
    const invitations = inbox.mails.filter((mail) => mail.subject === 'Please sign: Invitation check');
    assert.deepEqual(
      invitations.map((mail) => mail.to),
      [['dee@example.test']],
      'only the first order is asked',
    );
    assert.ok(
      invitations[0]!.parsed.text?.includes(created.signers[0].signing_url),
      'the link is the one the API shows',
    );
    const [row] = outboxRows(server, 'email').filter((candidate) =>
      candidate.payload.includes('"signer_id":"' + created.signers[0].id),
    );
    assert.equal(invitations[0]!.messageId, messageIdFor(row!.id, FROM));
  });

  for (const [policy, expected] of [
    ['none', []],
    ['pending', ['bob', 'cy']],
    ['contacted', ['ann', 'bob']],
    ['all', ['ann', 'bob', 'cy']],
  ] as const) {
    test(`notify=${policy}: one cancellation mail per chosen signer`, async () => {
      const { created, ...emails } = await partlySignedRequest(server, client, `Policy ${policy}`);
      const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
        notify: policy,
        message: 'Clause 4 changed.',
        actor: 'owner@acme.test',
      });
      assert.equal(cancelled.status, 200);
      await drain(server);
      await drain(server); // a second drain sends nothing again
      const received = inbox.mails.filter((mail) => mail.subject === `Cancelled: Policy ${policy}`);
      assert.deepEqual(received.flatMap((mail) => mail.to).sort(), expected.map((who) => emails[who]).sort());
      assert.equal(
        new Set(received.map((mail) => mail.messageId)).size,
        received.length,
        'each mail has its own Message-ID',
      );
      for (const mail of received) {
        assert.match(mail.parsed.text ?? '', /cancelled by owner@acme\.test/);
        assert.match(mail.parsed.text ?? '', /Clause 4 changed\./);
        const hasSigned = mail.to[0] === emails.ann;
        assert.equal(/You had already signed it/.test(mail.parsed.text ?? ''), hasSigned);
      }
    });
  }

  test('purge with signatures: the owner gets the PDF first, then the bytes are gone', async () => {
    const { created } = await partlySignedRequest(server, client, 'Owner copy', 'owner@acme.test');
    const original = await client.request('GET', `/v1/signature-requests/${created.id}/document`);
    assert.equal(original.status, 200);
    const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
      notify: 'none',
      retention: 'purge',
    });
    assert.equal(cancelled.status, 200);
    await drain(server);
    const copies = inbox.mails.filter(
      (mail) => mail.to[0] === 'owner@acme.test' && mail.subject.includes('"Owner copy"'),
    );
    assert.equal(copies.length, 1);
    const [attachment] = copies[0]!.parsed.attachments;
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.equal(
      createHash('sha256').update(attachment!.content).digest('hex'),
      created.document.sha256,
      'the attached PDF is the document',
    );
    const gone = await client.request('GET', `/v1/signature-requests/${created.id}/document`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.code, 'document_unavailable');
    const events = await client.request('GET', `/v1/signature-requests/${created.id}/events`);
    const purged = events.body.data.find((event: { type: string }) => event.type === 'document.purged');
    assert.equal(purged?.actor.type, 'system');
  });
});

describe('with the SMTP server down', () => {
  let port: number;
  let server: TestServer;
  let client: NativeClient;
  let inbox: SmtpInbox | undefined;
  before(async () => {
    port = await freePort(); // nothing listens here until the test starts the inbox
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    client = nativeClient(server.baseUrl, (await server.createTenant('Acme Homes')).apiKey);
  });
  after(async () => {
    await server.close();
    await inbox?.close();
  });

  test('mails retry on schedule, go dead, and a replay delivers them once the server is back; nothing is purged meanwhile', async () => {
    const { created, bob, cy } = await partlySignedRequest(server, client, 'Outage', 'owner@acme.test');
    const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
      notify: 'pending',
      retention: 'purge',
    });
    assert.equal(cancelled.status, 200);
    const start = server.clock.now();
    await drain(server);

    const pendingMail = () =>
      outboxRows(server, 'email').filter(
        (row) => row.payload.includes('request_cancelled') && row.payload.includes(created.id),
      );
    for (const row of pendingMail()) {
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 1);
      assert.ok(
        row.available_at > start && row.available_at <= start + 30_000,
        'first retry within the 30 s base delay',
      );
      assert.match(row.last_error ?? '', /unreachable/i);
    }
    const [ownerCopy] = outboxRows(server, 'document.owner_copy_then_purge');
    assert.equal(ownerCopy?.status, 'pending', 'the owner copy failed, so it waits');
    assert.equal(
      (await client.request('GET', `/v1/signature-requests/${created.id}/document`)).status,
      200,
      'nothing purged without the copy',
    );

    // Not retried before its time.
    server.clock.advance(1);
    const notDue = pendingMail().filter((row) => row.available_at > server.clock.now());
    assert.ok(notDue.length > 0);
    await drain(server);
    const after = new Map(pendingMail().map((row) => [row.id, row.attempts]));
    for (const row of notDue) assert.equal(after.get(row.id), row.attempts);

    const failing = () => [...pendingMail(), ...outboxRows(server, 'document.owner_copy_then_purge')];
    for (let step = 0; step < 40 && failing().some((row) => row.status === 'pending'); step += 1) {
      server.clock.advance(7 * HOUR);
      await drain(server);
    }
    assert.ok(
      failing().every((row) => row.status === 'dead'),
      'dead after the retry window',
    );
    assert.ok(
      failing().every((row) => row.attempts > 5),
      'after several attempts',
    );
    const dead = await client.request('GET', '/v1/admin/outbox?status=dead&limit=100');
    assert.equal(dead.status, 200);
    const deadIds: string[] = dead.body.data.map((row: { id: string }) => row.id);
    assert.ok(deadIds.includes(ownerCopy!.id));

    inbox = await startSmtpInbox(port);
    for (const id of deadIds) {
      const replayed = await client.request('POST', `/v1/admin/outbox/${id}/replay`);
      assert.equal(replayed.status, 200);
      assert.equal(replayed.body.status, 'pending');
      assert.equal(replayed.body.attempts, 0);
    }
    await drain(server);
    const cancellations = inbox.mails.filter((mail) => mail.subject === 'Cancelled: Outage');
    assert.deepEqual(cancellations.flatMap((mail) => mail.to).sort(), [bob, cy].sort());
    const rowIds = pendingMail().map((row) => row.id);
    assert.deepEqual(
      cancellations.map((mail) => mail.messageId).sort(),
      rowIds.map((id) => messageIdFor(id, FROM)).sort(),
    );
    assert.equal(
      inbox.mails.filter((mail) => mail.subject.startsWith('Please sign: Outage')).length,
      0,
      'invitations of a cancelled request are dropped',
    );
    assert.equal(inbox.mails.filter((mail) => mail.to[0] === 'owner@acme.test').length, 1, 'the owner copy arrived');
    assert.equal(
      (await client.request('GET', `/v1/signature-requests/${created.id}/document`)).status,
      410,
      'and only then the purge',
    );
  });
});

describe('without SMTP (the embedded default)', () => {
  let server: TestServer;
  let client: NativeClient;
  before(async () => {
    server = await startTestServer();
    client = nativeClient(server.baseUrl, (await server.createTenant('Acme Homes')).apiKey);
  });
  after(async () => server.close());

  test('mails are kept and listed by GET /v1/mails, newest first, once each, for the tenant only', async () => {
    assert.equal(server.app.delivery.sendsMail, false);
    const { created, bob, cy } = await partlySignedRequest(server, client, 'Kept mails', 'owner@acme.test');
    await drain(server);
    server.clock.advance(1_000);
    assert.equal(
      (
        await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
          notify: 'pending',
          retention: 'purge',
        })
      ).status,
      200,
    );
    await drain(server);
    await drain(server);

    const listed = await client.request('GET', `/v1/mails?request_id=${created.id}`);
    assert.equal(listed.status, 200);
    const subjects = listed.body.data.map(
      (mail: { subject: string; to: { address: string } }) => `${mail.subject} -> ${mail.to.address}`,
    );
    assert.deepEqual(
      subjects.slice(0, 3).sort(),
      [
        `Cancelled: Kept mails -> ${bob}`,
        `Cancelled: Kept mails -> ${cy}`,
        'Your copy of "Kept mails" before it is deleted -> owner@acme.test',
      ].sort(),
      'the newest first: the cancellation mails and the owner copy',
    );
    // Ann signed (through her link) before the worker ran: her invitation was dropped, not sent late.
    assert.deepEqual(subjects.slice(3), [`Please sign: Kept mails -> ${bob}`]);
    const ownerCopy = listed.body.data.find(
      (mail: { template: string }) => mail.template === 'owner_copy_before_purge',
    );
    assert.deepEqual(
      ownerCopy.attachments.map((file: { sha256: string; content_type: string }) => [file.content_type, file.sha256]),
      [['application/pdf', created.document.sha256]],
    );
    assert.match(ownerCopy.message_id, /^<cs\.obx_[0-9a-z]+=3Aowner-copy@countersign\.local>$/);
    assert.equal((await client.request('GET', `/v1/signature-requests/${created.id}/document`)).status, 410);

    const other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
    assert.deepEqual((await other.request('GET', '/v1/mails')).body.data, []);
    const readKey = await client.request('POST', '/v1/api-keys', { scopes: ['read'] });
    assert.equal((await nativeClient(server.baseUrl, readKey.body.key).request('GET', '/v1/mails')).status, 403);
  });

  test('the admin outbox endpoints: dead letters only for the tenant; replay refuses live rows and unknown ids', async () => {
    const created = await client.createRequest({ title: 'Admin outbox' });
    await drain(server);
    assert.deepEqual((await client.request('GET', '/v1/admin/outbox')).body.data, []);
    const done = await client.request('GET', '/v1/admin/outbox?status=done&limit=100');
    const row = done.body.data.find(
      (entry: { topic: string; payload: { request_id?: string } }) =>
        entry.topic === 'email' && entry.payload.request_id === created.id,
    );
    assert.ok(row, 'the invitation row is listed as done');
    const refused = await client.request('POST', `/v1/admin/outbox/${row.id}/replay`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'conflict');
    assert.equal((await client.request('POST', '/v1/admin/outbox/obx_nope/replay')).status, 404);
    const other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
    assert.equal(
      (await other.request('POST', `/v1/admin/outbox/${row.id}/replay`)).status,
      404,
      "another tenant's row is not found",
    );
    assert.deepEqual((await other.request('GET', '/v1/admin/outbox?status=done')).body.data, []);
  });
});

describe('the worker loop inside the server process', () => {
  test('createApp(config, { worker: true }) delivers on its own, and close() stops it', async () => {
    const server = await startTestServer({}, { worker: true });
    try {
      const client = nativeClient(server.baseUrl, (await server.createTenant('Acme Homes')).apiKey);
      const created = await client.createRequest({ title: 'Background delivery' });
      await waitFor(
        'the background worker to keep the invitation',
        async () => {
          const listed = await client.request('GET', `/v1/mails?request_id=${created.id}`);
          return listed.body.data.length === 1;
        },
        20_000,
      );
    } finally {
      await server.close();
    }
  });
});
