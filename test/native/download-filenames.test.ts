/**
 * Downloads keep the document's own file name, whatever its script (RFC 6266 `filename*`): the
 * native download, its VOID copy and the Singpass signed document. The header must be ASCII on the
 * wire and parse back, with the content-disposition package, to the exact name.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'content-disposition';
import { makePdf, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';
import { proceedToSign, setUpRelyingParty, sign, type JwksServer } from '../singpass/singpass-fixtures.js';

const NAME = 'Vertrag für Müller – 契約.pdf';
const ASCII_ONLY = /^[\x20-\x7e]*$/;

let server: TestServer;
let client: NativeClient;
const jwksServers: JwksServer[] = [];

before(async () => {
  server = await startTestServer();
  client = nativeClient(server.baseUrl, (await server.createTenant()).apiKey);
});
after(async () => {
  await Promise.all(jwksServers.map((jwks) => jwks.close()));
  await server.close();
});

async function download(path: string, apiKey?: string): Promise<{ header: string; bytes: Buffer }> {
  const response = await fetch(server.baseUrl + path, apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {});
  assert.equal(response.status, 200, path);
  assert.equal(response.headers.get('content-type'), 'application/pdf');
  // fetch would turn a non-ASCII header byte into a Latin-1 character: it stays visible to the check.
  return {
    header: response.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

function assertAttachment(header: string, filename: string): void {
  assert.match(header, ASCII_ONLY, `not ASCII on the wire: ${header}`);
  const parsed = parse(header);
  assert.equal(parsed.type, 'attachment');
  assert.equal(parsed.parameters.filename, filename, header);
  assert.match(
    header,
    /filename="Vertrag fur Muller _ __(-void)?\.pdf"/,
    'a readable ASCII fallback for clients without filename*',
  );
}

test('the native download and its VOID copy keep a non-ASCII file name', async () => {
  const pdf = await makePdf();
  const created = await client.request('POST', '/v1/signature-requests', {
    title: 'Vertrag',
    signers: [{ name: 'Jörg Müller', email: 'joerg@example.com' }],
    document: { filename: NAME, content_base64: Buffer.from(pdf).toString('base64') },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.document.filename, NAME);

  const original = await download(`/v1/signature-requests/${created.body.id}/document`, client.apiKey);
  assertAttachment(original.header, NAME);
  assert.deepEqual(original.bytes, Buffer.from(pdf));

  assert.equal(
    (await client.request('POST', `/v1/signature-requests/${created.body.id}/cancel`, { notify: 'none' })).status,
    200,
  );
  await server.app.delivery.worker.drainOnce();
  const copy = await download(`/v1/signature-requests/${created.body.id}/document?variant=void`, client.apiKey);
  assertAttachment(copy.header, 'Vertrag für Müller – 契約-void.pdf');
});

test('an ASCII name is sent as it is, and path separators never reach the client', async () => {
  const pdf = Buffer.from(await makePdf()).toString('base64');
  for (const [filename, expected] of [
    ['plain name.pdf', 'plain name.pdf'],
    ['../etc/pass\\wd.pdf', '.._etc_pass_wd.pdf'],
  ]) {
    const created = await client.request('POST', '/v1/signature-requests', {
      title: 'Names',
      signers: [{ name: 'A', email: 'a@example.com' }],
      document: { filename, content_base64: pdf },
    });
    const { header } = await download(`/v1/signature-requests/${created.body.id}/document`, client.apiKey);
    assert.match(header, ASCII_ONLY);
    assert.equal(parse(header).parameters.filename, expected);
  }
});

test('the Singpass signed document keeps a non-ASCII doc_name', async () => {
  const setUp = await setUpRelyingParty(server);
  jwksServers.push(setUp.jwks);
  const created = await setUp.rp.createRequest({ doc_name: NAME });
  assert.equal((await proceedToSign(server, created.signing_url)).status, 200);
  assert.equal((await sign(server, created.signing_url)).status, 200);
  const result = await setUp.rp.signedDoc(created.request_id, created.exchange_code);
  assert.equal(result.status, 200);
  const { header } = await download(new URL(result.body.signed_doc_url as string).pathname);
  assertAttachment(header, NAME);
});
