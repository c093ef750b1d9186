/** POST /management/signing through real HTTP: case-insensitive keys, the response shape, the ProcessKey on /v1. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import {
  createProcess,
  createTaktikalTenant,
  outboxRows,
  processBody,
  type TaktikalTenant,
} from './taktikal-client.js';

let server: TestServer;
let tenant: TaktikalTenant;
before(async () => {
  server = await startTestServer();
  tenant = await createTaktikalTenant(server);
});
after(async () => server.close());

describe('create a signing process', () => {
  test('keys in any case are accepted, and the response is a SigningProcess with sp…/si… keys', async () => {
    const body = await processBody([
      {
        name: 'Ann Signee',
        EMAIL: 'Ann@Example.com',
        CommunicationDeliveryType: 'EMAIL',
        Ssn: '1234567890',
        Language: 'en',
      },
    ]);
    const response = await tenant.client.request('POST', '/management/signing', {
      body: { ...body, REMINDERRULE: '1:3' },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const process = response.body;
    assert.match(process.key, /^sp[0-9a-f]{12}$/);
    assert.equal(process.status, 'Created');
    assert.equal(process.flowKey, '7e364abfaxx5');
    assert.deepEqual(process.meta, { myKey: 'myvalue' });
    assert.equal(process.user, 'owner@example.com');
    assert.equal(process.pdfFileName, 'contract.pdf');
    assert.equal(process.signees.length, 1);
    const [signee] = process.signees;
    assert.match(signee.key, /^si[0-9a-f]{12}$/);
    assert.equal(signee.processKey, process.key);
    assert.equal(signee.email, 'ann@example.com');
    assert.equal(signee.ssn, '1234567890');
    assert.equal(signee.language, 'En');
    assert.equal(signee.communicationDeliveryType, 'Email');
    assert.equal(signee.signed, false);
    // The signee url is the native signing link: the signer can open it.
    const view = await call(server.baseUrl, 'GET', new URL(signee.url).pathname);
    assert.equal(view.status, 200);
    assert.equal(view.body.signer.name, 'Ann Signee');
  });

  test('the ProcessKey is visible through GET /v1/signature-requests/{ProcessKey}', async () => {
    const process = await createProcess(tenant.client);
    const native = await nativeClient(server.baseUrl, tenant.apiKey).request(
      'GET',
      `/v1/signature-requests/${process.key}`,
    );
    assert.equal(native.status, 200);
    assert.equal(native.body.aliases.taktikal_process_key, process.key);
    assert.equal(native.body.origin, 'taktikal');
    assert.equal(native.body.owner_email, 'owner@example.com');
    assert.equal(native.body.status, 'pending');
  });

  test('GET /signing/{ProcessKey}/signee/{SigneeKey} reads the process; a wrong signee key is 404', async () => {
    const process = await createProcess(tenant.client);
    const read = await tenant.client.request('GET', `/signing/${process.key}/signee/${process.signees[0].key}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, process);
    assert.equal((await tenant.client.request('GET', `/signing/${process.key}/signee/si000000000000`)).status, 404);
  });

  test('signInOrder gives signee i the order i+1; only the first is asked', async () => {
    const process = await createProcess(
      tenant.client,
      [
        { name: 'First', email: 'first@example.com' },
        { name: 'Second', email: 'second@example.com' },
      ],
      { SignInOrder: true },
    );
    const native = await nativeClient(server.baseUrl, tenant.apiKey).request(
      'GET',
      `/v1/signature-requests/${process.key}`,
    );
    assert.deepEqual(
      native.body.signers.map((signer: { order: number; status: string }) => [signer.order, signer.status]),
      [
        [1, 'notified'],
        [2, 'waiting'],
      ],
    );
    assert.equal(process.signInOrder, true);
  });

  test('signees with delivery none or sms have no email channel and are never emailed', async () => {
    const before = outboxRows(server, tenant.tenantId).length;
    const process = await createProcess(tenant.client, [
      { name: 'Iframe Person', email: 'iframe@example.com', communicationDeliveryType: 'none' },
      { name: 'Sms Person', email: 'iframe@example.com', phoneNumber: '1234567', communicationDeliveryType: 'sms' },
    ]);
    assert.equal(process.signees[0].email, 'iframe@example.com', 'the given email is echoed');
    assert.equal(process.signees[1].communicationDeliveryType, 'Sms');
    const native = await nativeClient(server.baseUrl, tenant.apiKey).request(
      'GET',
      `/v1/signature-requests/${process.key}`,
    );
    assert.deepEqual(
      native.body.signers.map((signer: { email: string | null }) => signer.email),
      [null, null],
    );
    const emails = outboxRows(server, tenant.tenantId)
      .slice(before)
      .filter((row) => row.topic === 'email');
    assert.equal(emails.length, 0);
  });
});

describe('bad input answers 400 in the ServiceStack envelope', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const expectFieldError = (response: { status: number; body: any }, fieldName: string, errorCode: string) => {
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(typeof response.body.responseStatus.message, 'string');
    const match = response.body.responseStatus.errors.find(
      (error: { fieldName: string }) => error.fieldName === fieldName,
    );
    assert.ok(match, `no error for ${fieldName} in ${JSON.stringify(response.body)}`);
    assert.equal(match.errorCode, errorCode);
  };

  test('missing flowKey', async () => {
    const { flowKey: _omitted, ...body } = await processBody();
    expectFieldError(await tenant.client.request('POST', '/management/signing', { body }), 'FlowKey', 'NotEmpty');
  });

  test('an unknown field, at the top and inside a signee', async () => {
    const body = await processBody([{ name: 'Ann', email: 'ann@example.com', favouriteColour: 'blue' }], {
      notAField: 1,
    });
    const response = await tenant.client.request('POST', '/management/signing', { body });
    expectFieldError(response, 'NotAField', 'UnknownField');
    expectFieldError(response, 'CreateSignees[0].FavouriteColour', 'UnknownField');
  });

  test('the same key twice in different case', async () => {
    const body = { ...(await processBody()), signInOrder: true, SIGNINORDER: false };
    expectFieldError(await tenant.client.request('POST', '/management/signing', { body }), 'SignInOrder', 'Duplicate');
  });

  test('wrong types', async () => {
    const body = await processBody([{ name: 'Ann', email: 'ann@example.com' }], {
      SignInOrder: 'yes',
      createSignees: 'Ann',
    });
    const response = await tenant.client.request('POST', '/management/signing', { body });
    expectFieldError(response, 'SignInOrder', 'InvalidType');
    expectFieldError(response, 'CreateSignees', 'InvalidType');
  });

  test('bad enum value, bad email, email delivery without an email, bad reminder rule', async () => {
    const body = await processBody(
      [
        { name: 'A', email: 'not-an-email' },
        { name: 'B', communicationDeliveryType: 'email' },
        { name: 'C', communicationDeliveryType: 'pigeon' },
      ],
      { reminderRule: '40:1' },
    );
    const response = await tenant.client.request('POST', '/management/signing', { body });
    expectFieldError(response, 'CreateSignees[0].Email', 'Email');
    expectFieldError(response, 'CreateSignees[1].Email', 'NotEmpty');
    expectFieldError(response, 'CreateSignees[2].CommunicationDeliveryType', 'Enum');
    expectFieldError(response, 'ReminderRule', 'InvalidFormat');
  });

  test('bad base64 and not-a-PDF', async () => {
    expectFieldError(
      await tenant.client.request('POST', '/management/signing', {
        body: await processBody(undefined, { pdfDocument: 'not base64!!' }),
      }),
      'PdfDocument',
      'InvalidBase64',
    );
    const notPdf = Buffer.from('hello, this is text and not a PDF').toString('base64');
    expectFieldError(
      await tenant.client.request('POST', '/management/signing', {
        body: await processBody(undefined, { pdfDocument: notPdf }),
      }),
      'PdfDocument',
      'InvalidDocument',
    );
  });

  test('malformed JSON, no body, wrong content type, huge body', async () => {
    const malformed = await tenant.client.request('POST', '/management/signing', {
      rawBody: '{"flowKey":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.responseStatus.errorCode, 'SerializationException');
    const empty = await tenant.client.request('POST', '/management/signing', {
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.responseStatus.errors[0].errorCode, 'NotEmpty');
    const form = await tenant.client.request('POST', '/management/signing', {
      rawBody: 'flowKey=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415);
    assert.equal(form.body.responseStatus.errorCode, 'UnsupportedMediaType');
    const huge = await tenant.client.request('POST', '/management/signing', {
      rawBody: JSON.stringify({ pdfDocument: 'A'.repeat(16 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.responseStatus.errorCode, 'RequestEntityTooLarge');
  });

  test('an unknown route under the mount answers 404 in the envelope', async () => {
    const response = await tenant.client.request('GET', '/management/nothing-here');
    assert.equal(response.status, 404);
    assert.equal(response.body.responseStatus.errorCode, 'NotFound');
  });

  test('nothing was created by any of the refused calls', async () => {
    const refusedTenant = await createTaktikalTenant(server, 'Refused');
    await refusedTenant.client.request('POST', '/management/signing', {
      body: await processBody(undefined, { pdfDocument: 'bad' }),
    });
    const list = await nativeClient(server.baseUrl, refusedTenant.apiKey).request('GET', '/v1/signature-requests');
    assert.equal(list.status, 200);
    assert.equal(list.body.data.length, 0);
  });
});
