// Document retention on cancel, end to end on a real server: purge (bytes gone from the API, the
// database file and its write-ahead log), purge after N days, and the VOID copy kept beside a
// retained original (its text read back with pdftotext when poppler-utils is installed).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { databasePath } from '../../src/storage/open-store.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';
import { drain } from './support/flows.js';

const DAY = 86_400_000;
const hasPdftotext = spawnSync('which', ['pdftotext']).status === 0;

/** A PDF carrying `marker` as a plain (uncompressed, literal) string, so it can be found in raw bytes. */
async function pdfWithMarker(marker: string): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText('Contract', { x: 50, y: 780, size: 14 });
  page.node.set(PDFName.of('CountersignTestMarker'), PDFString.of(marker));
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

async function createWithDocument(client: NativeClient, title: string, pdf: Buffer) {
  const response = await client.request('POST', '/v1/signature-requests', {
    title,
    signers: [{ name: 'Ann Signer', email: 'ann@example.test' }],
    document: { filename: 'contract.pdf', content_base64: pdf.toString('base64') },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string };
}

function storageContains(server: TestServer, marker: string): { database: boolean; log: boolean } {
  const file = databasePath(server.app.config);
  const needle = Buffer.from(marker, 'latin1');
  return {
    database: readFileSync(file).includes(needle),
    log: existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).includes(needle),
  };
}

let server: TestServer;
let client: NativeClient;
before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant('Acme Homes')).apiKey);
});
after(async () => server.close());

describe('purge', () => {
  test('the bytes become unreadable through the API and leave the database file and its WAL', async () => {
    const marker = `PURGE-MARKER-${randomBytes(12).toString('hex')}`;
    const created = await createWithDocument(client, 'Purge me', await pdfWithMarker(marker));
    const stored = storageContains(server, marker);
    assert.ok(stored.database || stored.log, 'the marker is findable while the document is stored (the search works)');

    const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
      retention: 'purge',
      notify: 'none',
    });
    assert.equal(cancelled.status, 200);
    await drain(server);

    assert.deepEqual(storageContains(server, marker), { database: false, log: false });
    for (const path of [
      `/v1/signature-requests/${created.id}/document`,
      `/v1/signature-requests/${created.id}/document?variant=void`,
    ]) {
      const gone = await client.request('GET', path);
      assert.equal(gone.status, 410, path);
      assert.equal(gone.body.code, 'document_unavailable');
    }
    const request = await client.request('GET', `/v1/signature-requests/${created.id}`);
    assert.notEqual(request.body.document.purged_at, null, 'metadata stays, marked purged');
    const events = (await client.request('GET', `/v1/signature-requests/${created.id}/events`)).body.data as {
      type: string;
      actor: { type: string };
    }[];
    const purged = events.filter((event) => event.type === 'document.purged');
    assert.equal(purged.length, 1);
    assert.equal(purged[0]!.actor.type, 'system');
    assert.equal((await client.request('GET', '/v1/audit/verify')).body.ok, true, 'the audit chain stays intact');
  });

  test('purge_after waits the given days, then purges', async () => {
    const marker = `LATER-MARKER-${randomBytes(12).toString('hex')}`;
    const created = await createWithDocument(client, 'Purge later', await pdfWithMarker(marker));
    const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
      retention: { mode: 'purge_after', days: 7 },
      notify: 'none',
    });
    assert.equal(cancelled.status, 200);
    await drain(server);
    server.clock.advance(7 * DAY - 60_000);
    await drain(server);
    assert.equal(
      (await client.request('GET', `/v1/signature-requests/${created.id}/document`)).status,
      200,
      'still there a minute before',
    );
    server.clock.advance(60_000);
    await drain(server);
    assert.equal((await client.request('GET', `/v1/signature-requests/${created.id}/document`)).status, 410);
    assert.deepEqual(storageContains(server, marker), { database: false, log: false });
  });
});

describe('void copy', () => {
  test('a retained document gets a VOID-stamped copy beside the unchanged original', async (t) => {
    const pdf = await pdfWithMarker('void-copy');
    const created = await createWithDocument(client, 'Keep me', pdf);
    const cancelled = await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, {
      notify: 'none',
      actor: 'alice@example.test',
    });
    assert.equal(cancelled.status, 200);
    const cancelledOn = new Date(server.clock.now()).toISOString().slice(0, 10);
    assert.equal(
      (await client.request('GET', `/v1/signature-requests/${created.id}/document?variant=void`)).status,
      404,
      'not made yet',
    );
    await drain(server);

    const original = await fetch(`${server.baseUrl}/v1/signature-requests/${created.id}/document`, {
      headers: { authorization: `Bearer ${client.apiKey}` },
    });
    assert.equal(original.status, 200);
    assert.deepEqual(Buffer.from(await original.arrayBuffer()), pdf, 'the original is untouched');
    const copy = await fetch(`${server.baseUrl}/v1/signature-requests/${created.id}/document?variant=void`, {
      headers: { authorization: `Bearer ${client.apiKey}` },
    });
    assert.equal(copy.status, 200);
    assert.equal(copy.headers.get('content-type'), 'application/pdf');
    assert.match(copy.headers.get('content-disposition') ?? '', /contract-void\.pdf/);
    const stamped = Buffer.from(await copy.arrayBuffer());
    assert.equal(stamped.subarray(0, 5).toString(), '%PDF-');
    assert.notDeepEqual(stamped, pdf);
    if (hasPdftotext) {
      const text = execFileSync('pdftotext', ['-raw', '-', '-'], { input: stamped }).toString();
      assert.ok(text.replace(/\s+/g, '').includes('VOID'), text); // the diagonal label may come out split
      assert.match(text.replace(/\s+/g, ' '), new RegExp(`Cancelled ${cancelledOn} by alice@example\\.test`));
    } else {
      t.diagnostic('pdftotext (poppler-utils) is not installed: the stamped text was not read back');
    }
  });

  test("the VOID copy is another tenant's like any other document: not found", async () => {
    const created = await createWithDocument(client, 'Private', await pdfWithMarker('private'));
    await client.request('POST', `/v1/signature-requests/${created.id}/cancel`, { notify: 'none' });
    await drain(server);
    const other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
    assert.equal(
      (await other.request('GET', `/v1/signature-requests/${created.id}/document?variant=void`)).status,
      404,
    );
  });
});
