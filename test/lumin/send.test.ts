import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { makePdf } from '../support/harness.js';
import { assertLuminError } from '../support/lumin-openapi.js';
import { DAY, pdfBase64, sendBody, startLuminWorld, type LuminTenant, type LuminWorld } from './lumin-helpers.js';

let world: LuminWorld;
let tenant: LuminTenant;
before(async () => {
  world = await startLuminWorld();
  tenant = await world.tenant();
});
after(async () => world.server.close());

test('JSON send: 201 per the spec, then visible through Lumin GET and the native API', async () => {
  const expiresAt = world.server.clock.now() + 10 * DAY;
  const sent = await tenant.lumin('POST', '/signature_request/send', {
    json: await sendBody(world, { expires_at: expiresAt, signing_type: 'SAME_TIME' }),
  });
  assert.equal(sent.status, 201);
  const summary = sent.body.signature_request;
  assert.match(summary.signature_request_id, /^sr_/);
  assert.equal(summary.status, 'WAITING_FOR_PROCESSING');
  assert.equal(summary.created_at, world.server.clock.now());

  const got = await tenant.lumin('GET', `/signature_request/${summary.signature_request_id}`);
  assert.equal(got.status, 200);
  const request = got.body.signature_request;
  assert.equal(request.status, 'WAITING_FOR_OTHERS');
  assert.equal(request.expires_at, expiresAt);
  assert.equal(request.signing_type, 'SAME_TIME');
  assert.deepEqual(request.signers, [
    { email_address: 'john.doe@example.com', name: 'John Doe', group: 1, is_approved: false, status: 'NEED_TO_SIGN' },
  ]);

  const native = await tenant.native.request('GET', `/v1/signature-requests/${summary.signature_request_id}`);
  assert.equal(native.status, 200);
  assert.equal(native.body.origin, 'lumin');
  assert.equal(native.body.status, 'pending');
  assert.equal(native.body.signers[0].status, 'notified');
});

test('ORDER: group as number or numeric string becomes the signing order; only group 1 is asked first', async () => {
  const sent = await tenant.lumin('POST', '/signature_request/send', {
    json: await sendBody(world, {
      signing_type: 'ORDER',
      signers: [
        { email_address: 'john.doe@example.com', name: 'John Doe', group: 1 },
        { email_address: 'jane.doe@example.com', name: 'Jane Doe', group: '2' },
      ],
    }),
  });
  assert.equal(sent.status, 201);
  const got = await tenant.lumin('GET', `/signature_request/${sent.body.signature_request.signature_request_id}`);
  assert.equal(got.body.signature_request.signing_type, 'ORDER');
  assert.deepEqual(
    got.body.signature_request.signers.map((s: { group: number; status: string }) => [s.group, s.status]),
    [
      [1, 'NEED_TO_SIGN'],
      [2, 'WAITING_FOR_OTHERS'],
    ],
  );
});

test('JSON send with `files` holding one base64 PDF, viewers empty and text tags off', async () => {
  const sent = await tenant.lumin('POST', '/signature_request/send', {
    json: await sendBody(world, { file: undefined, files: [await pdfBase64()], viewers: [], use_text_tags: false }),
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
});

test('SAME_TIME ignores groups: everybody signs at once', async () => {
  const sent = await tenant.lumin('POST', '/signature_request/send', {
    json: await sendBody(world, {
      signers: [
        { email_address: 'a@example.com', name: 'A', group: 1 },
        { email_address: 'b@example.com', name: 'B', group: 2 },
      ],
    }),
  });
  assert.equal(sent.status, 201);
  const native = await tenant.native.request(
    'GET',
    `/v1/signature-requests/${sent.body.signature_request.signature_request_id}`,
  );
  assert.deepEqual(
    native.body.signers.map((s: { order: number; status: string }) => [s.order, s.status]),
    [
      [1, 'notified'],
      [1, 'notified'],
    ],
  );
});

function luminForm(fields: Record<string, string>, files: Record<string, Blob> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, file] of Object.entries(files)) form.append(name, file, 'contract.pdf');
  return form;
}

const pdfBlob = async () => new Blob([await makePdf()], { type: 'application/pdf' });

test('multipart send as Lumin\'s own client does it (bracket fields, group as text, file part "file")', async () => {
  const form = luminForm(
    {
      title: 'Multipart agreement',
      expires_at: String(world.server.clock.now() + 5 * DAY),
      signing_type: 'ORDER',
      use_text_tags: 'false',
      'signers[0][email_address]': 'first@example.com',
      'signers[0][name]': 'First',
      'signers[0][group]': '1',
      'signers[1][email_address]': 'second@example.com',
      'signers[1][name]': 'Second',
      'signers[1][group]': '2',
      'custom_email[sender_email]': 'owner@example.com',
      'custom_email[subject_name]': 'Please sign',
    },
    { file: await pdfBlob() },
  );
  const sent = await tenant.lumin('POST', '/signature_request/send', { form });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const id = sent.body.signature_request.signature_request_id;
  const native = await tenant.native.request('GET', `/v1/signature-requests/${id}`);
  assert.equal(native.body.title, 'Multipart agreement');
  assert.equal(native.body.owner_email, 'owner@example.com');
  assert.equal(native.body.document.filename, 'contract.pdf');
  assert.deepEqual(
    native.body.signers.map((s: { email: string; order: number }) => [s.email, s.order]),
    [
      ['first@example.com', 1],
      ['second@example.com', 2],
    ],
  );
});

test('multipart as Pipedream sends it: files[0] and custom_email as a JSON string', async () => {
  const form = luminForm(
    {
      title: 'Pipedream style',
      expires_at: String(world.server.clock.now() + DAY),
      'signers[0][email_address]': 'p@example.com',
      'signers[0][name]': 'P',
      custom_email: JSON.stringify({ sender_email: 'sender@example.com', title: 'Hi' }),
    },
    { 'files[0]': await pdfBlob() },
  );
  const sent = await tenant.lumin('POST', '/signature_request/send', { form });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const native = await tenant.native.request(
    'GET',
    `/v1/signature-requests/${sent.body.signature_request.signature_request_id}`,
  );
  assert.equal(native.body.owner_email, 'sender@example.com');
});

test('multipart refusals: two files, a text file, a field given twice, a file as text', async () => {
  const base = {
    title: 'T',
    expires_at: String(world.server.clock.now() + DAY),
    'signers[0][email_address]': 'x@example.com',
    'signers[0][name]': 'X',
  };
  const twoFiles = luminForm(base, { 'files[0]': await pdfBlob(), 'files[1]': await pdfBlob() });
  assertLuminError(
    await tenant.lumin('POST', '/signature_request/send', { form: twoFiles }),
    400,
    'MULTIPLE_FILES_NOT_SUPPORTED',
  );

  const notPdf = luminForm(base, { file: new Blob(['just some text, not a PDF'], { type: 'text/plain' }) });
  assertLuminError(await tenant.lumin('POST', '/signature_request/send', { form: notPdf }), 400, 'INVALID_FILE');

  const twice = luminForm(base, { file: await pdfBlob() });
  twice.append('title', 'again');
  assertLuminError(await tenant.lumin('POST', '/signature_request/send', { form: twice }), 400, 'VALIDATION_ERROR');

  const fileAsText = luminForm({ ...base, file: await pdfBase64() });
  assertLuminError(
    await tenant.lumin('POST', '/signature_request/send', { form: fileAsText }),
    400,
    'VALIDATION_ERROR',
  );

  const noFile = luminForm(base);
  assertLuminError(await tenant.lumin('POST', '/signature_request/send', { form: noFile }), 400, 'VALIDATION_ERROR');

  const wrongPart = luminForm(base, { document: await pdfBlob() });
  assertLuminError(await tenant.lumin('POST', '/signature_request/send', { form: wrongPart }), 400, 'VALIDATION_ERROR');

  const sparse = luminForm(
    { ...base, 'signers[5][email_address]': 'y@example.com', 'signers[5][name]': 'Y' },
    { file: await pdfBlob() },
  );
  assertLuminError(await tenant.lumin('POST', '/signature_request/send', { form: sparse }), 400, 'VALIDATION_ERROR');

  const hugeFile = luminForm(base, {
    file: new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'application/pdf' }),
  });
  assertLuminError(await tenant.lumin('POST', '/signature_request/send', { form: hugeFile }), 413, 'PAYLOAD_TOO_LARGE');
});

test('file_url and file_urls are refused with a clear 400 and never fetched', async () => {
  let fetched = 0;
  const origin: Server = createServer((_request, response) => {
    fetched += 1;
    response.end('%PDF-1.4');
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  const port = (origin.address() as { port: number }).port;
  try {
    const body = await sendBody(world, { file: undefined, file_url: `http://127.0.0.1:${port}/doc.pdf` });
    const refused = await tenant.lumin('POST', '/signature_request/send', { json: body });
    assertLuminError(refused, 400, 'FILE_URL_NOT_SUPPORTED');
    assert.match(refused.body.error_message, /upload/i);
    const many = await tenant.lumin('POST', '/signature_request/send', {
      json: await sendBody(world, { file: undefined, file_urls: [`http://127.0.0.1:${port}/a.pdf`] }),
    });
    assertLuminError(many, 400, 'FILE_URL_NOT_SUPPORTED');
    assert.equal(fetched, 0, 'the server must not fetch caller-supplied URLs');
  } finally {
    await new Promise((resolve) => origin.close(resolve));
  }
});

test('bad input answers {error_code, error_message} with a 4xx, never a 500', async () => {
  const send = (json: unknown) => tenant.lumin('POST', '/signature_request/send', { json });
  const cases: [string, unknown, string][] = [
    ['missing title', await sendBody(world, { title: undefined }), 'VALIDATION_ERROR'],
    ['missing signers', await sendBody(world, { signers: undefined }), 'VALIDATION_ERROR'],
    ['missing expires_at', await sendBody(world, { expires_at: undefined }), 'VALIDATION_ERROR'],
    ['missing file', await sendBody(world, { file: undefined }), 'VALIDATION_ERROR'],
    ['extra field', await sendBody(world, { is_fast: true }), 'VALIDATION_ERROR'],
    [
      'extra signer field',
      await sendBody(world, { signers: [{ email_address: 'a@example.com', name: 'A', role: 'x' }] }),
      'VALIDATION_ERROR',
    ],
    ['title is a number', await sendBody(world, { title: 42 }), 'VALIDATION_ERROR'],
    ['title too long', await sendBody(world, { title: 'x'.repeat(256) }), 'VALIDATION_ERROR'],
    [
      'signers is an object',
      await sendBody(world, { signers: { email_address: 'a@example.com' } }),
      'VALIDATION_ERROR',
    ],
    [
      'signer email invalid',
      await sendBody(world, { signers: [{ email_address: 'not-an-email', name: 'A' }] }),
      'VALIDATION_ERROR',
    ],
    ['expires_at is a string', await sendBody(world, { expires_at: '2030-01-01' }), 'VALIDATION_ERROR'],
    [
      'expires_at is a fraction',
      await sendBody(world, { expires_at: world.server.clock.now() + 0.5 }),
      'VALIDATION_ERROR',
    ],
    ['expires_at in the past', await sendBody(world, { expires_at: world.server.clock.now() - 1 }), 'VALIDATION_ERROR'],
    [
      'expires_at in seconds',
      await sendBody(world, { expires_at: Math.floor(world.server.clock.now() / 1000) + 3600 }),
      'VALIDATION_ERROR',
    ],
    ['ORDER without groups', await sendBody(world, { signing_type: 'ORDER' }), 'VALIDATION_ERROR'],
    [
      'group zero',
      await sendBody(world, {
        signing_type: 'ORDER',
        signers: [{ email_address: 'a@example.com', name: 'A', group: 0 }],
      }),
      'VALIDATION_ERROR',
    ],
    [
      'group not numeric',
      await sendBody(world, {
        signing_type: 'ORDER',
        signers: [{ email_address: 'a@example.com', name: 'A', group: 'first' }],
      }),
      'VALIDATION_ERROR',
    ],
    ['unknown signing_type', await sendBody(world, { signing_type: 'PARALLEL' }), 'VALIDATION_ERROR'],
    [
      'duplicate signer email',
      await sendBody(world, {
        signers: [
          { email_address: 'a@example.com', name: 'A' },
          { email_address: 'A@example.com', name: 'B' },
        ],
      }),
      'VALIDATION_ERROR',
    ],
    ['two file sources', await sendBody(world, { file_url: 'https://example.com/a.pdf' }), 'FILE_URL_NOT_SUPPORTED'],
    ['file and files', await sendBody(world, { files: [await pdfBase64()] }), 'MULTIPLE_FILES_NOT_SUPPORTED'],
    [
      'signer verification',
      await sendBody(world, {
        signers: [{ email_address: 'a@example.com', name: 'A', verification: { method: 'vc' } }],
      }),
      'SIGNER_VERIFICATION_NOT_SUPPORTED',
    ],
    [
      'viewers',
      await sendBody(world, { viewers: [{ email_address: 'v@example.com', name: 'V' }] }),
      'VIEWERS_NOT_SUPPORTED',
    ],
    ['text tags', await sendBody(world, { use_text_tags: true }), 'TEXT_TAGS_NOT_SUPPORTED'],
    ['bad base64', await sendBody(world, { file: 'JVBERi0x%%%not base64***' }), 'INVALID_BASE64'],
    [
      'base64 of not a PDF',
      await sendBody(world, { file: Buffer.from('hello, I am not a PDF').toString('base64') }),
      'INVALID_FILE',
    ],
    ['body is an array', [], 'VALIDATION_ERROR'],
    ['body is null', null, 'VALIDATION_ERROR'],
  ];
  for (const [name, json, code] of cases) {
    const response = await send(json);
    assert.equal(response.status, 400, `${name}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error_code, code, `${name}: ${response.body.error_message}`);
  }
});

test('wire-level refusals: malformed JSON, empty body, wrong content type, huge body', async () => {
  const post = (raw: string | Uint8Array, contentType: string) =>
    tenant.lumin('POST', '/signature_request/send', { raw, headers: { 'content-type': contentType } });
  assertLuminError(await post('{"title": "unterminated', 'application/json'), 400, 'INVALID_REQUEST_BODY');
  assertLuminError(await post('', 'application/json'), 400, 'VALIDATION_ERROR');
  assertLuminError(await post('title=x', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  assertLuminError(
    await post(new Uint8Array(16 * 1024 * 1024).fill(0x20), 'application/json'),
    413,
    'PAYLOAD_TOO_LARGE',
  );
  assertLuminError(
    await tenant.lumin('POST', '/signature_request/send', {
      raw: 'garbage',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    }),
    400,
  );
});

test('unknown endpoints under /lumin/v1 answer the Lumin envelope', async () => {
  assertLuminError(await tenant.lumin('GET', '/user/info'), 404, 'NOT_FOUND');
  assertLuminError(await tenant.lumin('DELETE', '/signature_request/sr_x'), 404, 'NOT_FOUND');
});
