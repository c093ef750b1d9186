/**
 * Drives a running server through every surface with real credentials (and wrong ones, and
 * credentials in query strings), recording each secret it sends in a SecretLedger, so that a test
 * can then look for every one of them in the server's log output.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { call, makePdf } from '../../support/harness.js';
import { afterLastDot, randomSecret, type SecretLedger } from './secret-ledger.js';

/** What `countersign tenant create --json` printed. */
export interface TenantCredentials {
  readonly api_key: string;
  readonly lumin: { readonly api_key: string };
  readonly taktikal: { readonly company_key: string; readonly api_key: string };
  readonly kaizen: { readonly app_token: string };
  readonly auco: { readonly private_key: string; readonly public_key: string };
}

export interface Drive {
  readonly baseUrl: string;
  /** The webhook receiver's base URL (http://127.0.0.1:port); each surface posts to its own path. */
  readonly receiverUrl: string;
  readonly tenant: TenantCredentials;
  readonly secrets: SecretLedger;
}

type Headers = Record<string, string>;
const ok = (response: { status: number; body: unknown }, status: number, what: string) =>
  assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
const pdfBase64 = async () => Buffer.from(await makePdf()).toString('base64');
const signingPathOf = (url: string) => new URL(url).pathname;
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/** Signing links: view, Proceed to Sign and sign (or decline), each token recorded. */
async function useSigningLink(drive: Drive, url: string, action: 'sign' | 'decline' | 'view'): Promise<void> {
  const path = signingPathOf(url);
  const token = path.split('/').at(-1)!;
  drive.secrets.add('signing-link token', token, afterLastDot(token));
  ok(await call(drive.baseUrl, 'GET', path), 200, 'view');
  if (action === 'sign') {
    ok(await call(drive.baseUrl, 'POST', `${path}/start`), 200, 'start');
    ok(
      await call(drive.baseUrl, 'POST', `${path}/sign`, { body: { signature: { type: 'typed', text: 'Ann' } } }),
      200,
      'sign',
    );
  }
  if (action === 'decline')
    ok(await call(drive.baseUrl, 'POST', `${path}/decline`, { body: { reason: 'no' } }), 200, 'decline');
}

export async function driveNative(drive: Drive): Promise<void> {
  const { baseUrl, secrets } = drive;
  const key = secrets.add('native API key', drive.tenant.api_key, afterLastDot(drive.tenant.api_key));
  const auth = { authorization: `Bearer ${key}` };
  const created = await call(baseUrl, 'POST', '/v1/signature-requests', {
    headers: auth,
    body: {
      title: 'NDA',
      signers: [
        { name: 'Ann', email: 'ann@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ],
      document: { filename: 'nda.pdf', content_base64: await pdfBase64() },
    },
  });
  ok(created, 201, 'native create');
  await useSigningLink(drive, created.body.signers[0].signing_url, 'sign');
  ok(
    await call(baseUrl, 'POST', `/v1/signature-requests/${created.body.id}/cancel`, {
      headers: auth,
      body: { reason: 'wrong clause', message: 'A new one follows', notify: 'all' },
    }),
    200,
    'native cancel',
  );
  // A dead link (410) is logged too.
  assert.equal((await call(baseUrl, 'GET', signingPathOf(created.body.signers[1].signing_url))).status, 410);
  secrets.add('signing-link token', signingPathOf(created.body.signers[1].signing_url).split('/').at(-1)!);

  const declined = await call(baseUrl, 'POST', '/v1/signature-requests', {
    headers: auth,
    body: {
      title: 'Quote',
      signers: [{ name: 'Cy', email: 'cy@example.com' }],
      document: { filename: 'q.pdf', content_base64: await pdfBase64() },
    },
  });
  await useSigningLink(drive, declined.body.signers[0].signing_url, 'decline');
  const forged = secrets.add('forged signing token', `sgr_01jzzzzzzzzzzzzzzzzzzzzzzz.${randomSecret(32)}`);
  assert.equal((await call(baseUrl, 'GET', `/v1/signing/${forged}`)).status, 404);

  // Credentials in query strings, on known and unknown routes, and wrong keys.
  const inQuery = secrets.add('query credential', randomSecret());
  const accessToken = secrets.add('query access_token', randomSecret());
  // Strict query schemas refuse unknown parameters (400): what matters here is that the URL is logged.
  await call(baseUrl, 'GET', `/v1/signature-requests?api_key=${key}&access_token=${accessToken}&status=pending`, {
    headers: auth,
  });
  for (const path of [
    `/nope?api_key=${inQuery}`,
    `/v1/nope?token=${inQuery}&password=${accessToken}`,
    `/lumin/v1/nope?apikey=${inQuery}`,
  ])
    await call(baseUrl, 'GET', path);
  const wrongKey = `csk_AAAAAAAAAAAA.${randomSecret()}`;
  const wrong = secrets.add('wrong native key', wrongKey, afterLastDot(wrongKey));
  ok(
    await call(baseUrl, 'GET', '/v1/signature-requests', { headers: { authorization: `Bearer ${wrong}` } }),
    401,
    'wrong key',
  );
  ok(
    await call(baseUrl, 'GET', '/v1/signature-requests', {
      headers: { authorization: `Bearer ${secrets.add('garbage bearer', randomSecret())}` },
    }),
    401,
    'garbage',
  );

  const second = await call(baseUrl, 'POST', '/v1/api-keys', {
    headers: auth,
    body: { scopes: ['read'], label: 'reader' },
  });
  ok(second, 201, 'api key');
  const secondKey = secrets.add('second native key', second.body.key, afterLastDot(second.body.key));
  ok(
    await call(baseUrl, 'GET', '/v1/signature-requests', { headers: { authorization: `Bearer ${secondKey}` } }),
    200,
    'second key',
  );
  await call(baseUrl, 'GET', `/v1/signature-requests?key=${secondKey}`, {
    headers: { authorization: `Bearer ${secondKey}` },
  });

  // Native webhooks: a good one whose URL carries a credential, a failing one, one answering with a redirect.
  const receiverToken = secrets.add('webhook URL credential', randomSecret());
  for (const path of [`/native?token=${receiverToken}`, '/fail', '/redirect']) {
    const endpoint = await call(baseUrl, 'POST', '/v1/webhooks', {
      headers: auth,
      body: { url: `${drive.receiverUrl}${path}`, events: ['*'] },
    });
    ok(endpoint, 201, 'webhook');
    secrets.add('native webhook secret', endpoint.body.secret, endpoint.body.secret.slice('whsec_'.length));
  }
}

export async function driveLumin(drive: Drive): Promise<void> {
  const { baseUrl, secrets } = drive;
  const nativeAuth = { authorization: `Bearer ${drive.tenant.api_key}` };
  const key = secrets.add('Lumin API key', drive.tenant.lumin.api_key, afterLastDot(drive.tenant.lumin.api_key));
  ok(
    await call(baseUrl, 'PUT', '/v1/admin/lumin/callback', {
      headers: nativeAuth,
      body: { url: `${drive.receiverUrl}/lumin` },
    }),
    200,
    'lumin callback',
  );
  const lumin = (method: string, path: string, headers: Headers, body?: unknown) =>
    call(baseUrl, method, `/lumin/v1${path}`, { headers, ...(body ? { body } : {}) });
  const sent = await lumin(
    'POST',
    '/signature_request/send',
    { 'x-api-key': key },
    {
      title: 'Lumin NDA',
      file: await pdfBase64(),
      signers: [{ email_address: 'dee@example.com', name: 'Dee' }],
      expires_at: Date.now() + 86_400_000,
    },
  );
  ok(sent, 201, 'lumin send');
  const id = sent.body.signature_request.signature_request_id as string;
  ok(
    await lumin('GET', `/signature_request/${id}`, {
      authorization: `Basic ${secrets.add('Lumin Basic header', basic(key, ''))}`,
    }),
    200,
    'lumin basic',
  );
  ok(await lumin('GET', `/signature_request/${id}`, { authorization: `API-key ${key}` }), 200, 'lumin API-key');

  const token = await call(baseUrl, 'POST', '/v1/admin/lumin/tokens', {
    headers: nativeAuth,
    body: { scopes: ['sign:requests'] },
  });
  ok(token, 201, 'lumin token');
  const bearer = secrets.add('Lumin access token', token.body.access_token, afterLastDot(token.body.access_token));
  ok(await lumin('GET', `/signature_request/${id}`, { authorization: `Bearer ${bearer}` }), 200, 'lumin bearer');
  await lumin('GET', `/signature_request/${id}?access_token=${bearer}`, { authorization: `Bearer ${bearer}` });

  const app = await call(baseUrl, 'POST', '/v1/admin/lumin/apps', { headers: nativeAuth, body: {} });
  ok(app, 201, 'lumin app');
  const clientSecret = secrets.add('Lumin OAuth client secret', app.body.client_secret);
  for (const [headers, form] of [
    [
      { authorization: `Basic ${secrets.add('Lumin OAuth Basic header', basic(app.body.client_id, clientSecret))}` },
      'grant_type=client_credentials',
    ],
    [{}, `grant_type=client_credentials&client_id=${app.body.client_id}&client_secret=${clientSecret}`],
  ] as const) {
    const issued = await call(baseUrl, 'POST', '/lumin/oauth2/token', {
      rawBody: form,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    ok(issued, 200, 'oauth token');
    secrets.add('Lumin OAuth access token', issued.body.access_token, afterLastDot(issued.body.access_token));
  }
  await call(baseUrl, 'POST', `/lumin/oauth2/token?client_secret=${clientSecret}`, {
    rawBody: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  ok(
    await lumin('GET', `/signature_request/${id}`, {
      'x-api-key': secrets.add('wrong Lumin key', `lmk_AAAAAAAAAAAA.${randomSecret()}`),
    }),
    401,
    'wrong lumin',
  );
  ok(await lumin('PUT', `/signature_request/cancel/${id}`, { 'x-api-key': key }), 200, 'lumin cancel');
}

interface RelyingParty {
  clientId: string;
  kid: string;
  privateKey: CryptoKey;
}

async function rpToken(drive: Drive, rp: RelyingParty, claims: JWTPayload, kid = rp.kid): Promise<string> {
  const jwt = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(rp.privateKey);
  return drive.secrets.add('Singpass RP JWT', jwt, afterLastDot(jwt));
}

export async function driveSingpass(drive: Drive): Promise<void> {
  const { baseUrl, secrets } = drive;
  const nativeAuth = { authorization: `Bearer ${drive.tenant.api_key}` };
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const rp: RelyingParty = { clientId: `rp-${randomUUID().slice(0, 8)}`, kid: 'k1', privateKey };
  const jwk = { ...(await exportJWK(publicKey)), kid: rp.kid, use: 'sig', alg: 'ES256' };
  ok(
    await call(baseUrl, 'POST', '/v1/admin/singpass/clients', {
      headers: nativeAuth,
      body: { client_id: rp.clientId, jwks: { keys: [jwk] } },
    }),
    201,
    'singpass client',
  );
  ok(
    await call(baseUrl, 'PUT', `/v1/admin/singpass/clients/${rp.clientId}/webhook`, {
      headers: nativeAuth,
      body: { url: `${drive.receiverUrl}/singpass` },
    }),
    200,
    'singpass webhook',
  );
  const initiate = async () => {
    const claims = { client_id: rp.clientId, doc_name: 'contract.pdf', x: 0.5, y: 0.5, page: 1, jti: randomUUID() };
    const response = await call(baseUrl, 'POST', '/singpass/api/v3/sign-requests', {
      rawBody: await makePdf(),
      headers: { 'content-type': 'application/octet-stream', authorization: await rpToken(drive, rp, claims) },
    });
    ok(response, 200, 'singpass initiate');
    return response.body as { request_id: string; signing_url: string; exchange_code: string };
  };
  const signed = await initiate();
  secrets.add('Singpass exchange code', signed.exchange_code);
  await useSigningLink(drive, signed.signing_url, 'sign');
  const result = await call(baseUrl, 'GET', `/singpass/api/v3/sign-requests/${signed.request_id}/signed-doc`, {
    headers: { authorization: await rpToken(drive, rp, { exchange_code: signed.exchange_code, jti: randomUUID() }) },
  });
  ok(result, 200, 'signed-doc');
  const docPath = new URL(result.body.signed_doc_url as string).pathname;
  const docToken = docPath.split('/').at(-1)!;
  secrets.add('Singpass signed-document token', docToken, afterLastDot(docToken));
  ok(await call(baseUrl, 'GET', docPath), 200, 'signed document');

  const cancelled = await initiate();
  const cancel = (authorization: string) =>
    call(baseUrl, 'POST', '/singpass/api/v3/sign-requests/cancel', {
      headers: { 'content-type': 'application/json', authorization },
    });
  // Refused tokens: unknown kid, and a Bearer-prefixed token signed by a key the RP never published.
  ok(
    await cancel(await rpToken(drive, rp, { client_id: rp.clientId, request_id: cancelled.request_id }, 'unknown-kid')),
    400,
    'unknown kid',
  );
  const stranger = (await generateKeyPair('ES256')).privateKey;
  ok(
    await cancel(
      `Bearer ${await rpToken(drive, { ...rp, privateKey: stranger }, { client_id: rp.clientId, request_id: cancelled.request_id })}`,
    ),
    400,
    'bad signature',
  );
  ok(
    await cancel(await rpToken(drive, rp, { client_id: rp.clientId, request_id: cancelled.request_id })),
    200,
    'singpass cancel',
  );
}

export async function driveTaktikal(drive: Drive): Promise<void> {
  const { baseUrl, secrets } = drive;
  const { company_key: companyKey, api_key: apiKey } = drive.tenant.taktikal;
  secrets.add('Taktikal API key', apiKey);
  const authorization = `Basic ${secrets.add('Taktikal Basic header', basic(companyKey, apiKey))}`;
  const taktikal = (method: string, path: string, body?: unknown, auth = authorization) =>
    call(baseUrl, method, `/taktikal/api${path}`, {
      headers: { authorization: auth, accept: 'application/json' },
      ...(body ? { body } : {}),
    });
  const hook = await taktikal('POST', '/webhook', { url: `${drive.receiverUrl}/taktikal` });
  ok(hook, 200, 'taktikal webhook');
  secrets.add('Taktikal webhook signature key', hook.body.webhookSignatureKey);
  const created = await taktikal('POST', '/management/signing', {
    pdfDocument: await pdfBase64(),
    pdfFileName: 'contract.pdf',
    flowKey: '7e364abfaxx5',
    user: 'owner@example.com',
    SignInOrder: false,
    createSignees: [{ name: 'Eve', email: 'eve@example.com', communicationDeliveryType: 'email' }],
  });
  ok(created, 200, 'taktikal create');
  await useSigningLink(drive, created.body.signees[0].url, 'view');
  ok(
    await taktikal(
      'GET',
      `/signing/activity/${created.body.key}`,
      undefined,
      `Basic ${secrets.add('wrong Taktikal Basic', basic(companyKey, `api-${randomSecret()}`))}`,
    ),
    401,
    'wrong taktikal',
  );
  ok(
    await taktikal('DELETE', `/management/signing?ProcessKey=${created.body.key}&User=boss@example.com`),
    204,
    'taktikal cancel',
  );
}

export async function driveKaizen(drive: Drive): Promise<void> {
  const { baseUrl, secrets } = drive;
  const appToken = drive.tenant.kaizen.app_token;
  secrets.add('KAiZEN app token', appToken, appToken.split('-').slice(3, 8).join('-'));
  const functionKey = secrets.add('KAiZEN function key (?code=)', randomSecret());
  const kaizen = (path: string, body: unknown) =>
    call(baseUrl, 'POST', `/kaizen/api/${path}?code=${functionKey}`, { body });
  const initiated = await kaizen('InitiateSignRequest', {
    appToken,
    title: 'Service agreement',
    document: await pdfBase64(),
    fileName: 'a.pdf',
    signers: [{ name: 'Fay', email: 'fay@example.com', Order: 1 }],
  });
  ok(initiated, 200, 'kaizen initiate');
  const wrong = secrets.add('wrong KAiZEN token', '01HQMDX-YCP019-Z2P3SX-QPSB53-8B4A3F-BC40B8-B10908-FB2FF4-A');
  assert.deepEqual(
    (await kaizen('RecallSignRequest', { signRequestId: initiated.body.Data.SignRequestId, appToken: wrong })).body
      .Data,
    false,
  );
  const recalled = await kaizen('RecallSignRequest', {
    signRequestId: initiated.body.Data.SignRequestId,
    appToken,
    recallReason: 'Raised by mistake',
    recalledBy: 'Mohit Bansal',
  });
  assert.equal(recalled.body.Data, true, JSON.stringify(recalled.body));
  const more = await call(baseUrl, 'POST', '/v1/kaizen/app-tokens', {
    headers: { authorization: `Bearer ${drive.tenant.api_key}` },
    body: { name: 'ci' },
  });
  ok(more, 201, 'kaizen app token');
  secrets.add('second KAiZEN app token', more.body.app_token);
}

export async function driveAuco(drive: Drive): Promise<void> {
  const { baseUrl, secrets } = drive;
  const { private_key: privateKey, public_key: publicKey } = drive.tenant.auco;
  secrets.add('Auco private key', privateKey, privateKey.slice(-48));
  secrets.add('Auco public key', publicKey, publicKey.slice(-48));
  const auco = (method: string, path: string, key: string, body?: unknown) =>
    call(baseUrl, method, `/auco/v1.5/ext${path}`, { headers: { authorization: key }, ...(body ? { body } : {}) });
  const headerValue = secrets.add('Auco webhook header value', randomSecret());
  ok(
    await auco('PUT', '/company', privateKey, {
      webhooks: [
        { id: 'default', url: `${drive.receiverUrl}/auco`, header: { key: 'x-auco-secret', value: headerValue } },
      ],
    }),
    200,
    'auco company',
  );
  const uploaded = await auco('POST', '/document/upload', privateKey, {
    email: 'owner@example.com',
    name: 'Contrato',
    subject: 'Firma',
    message: 'Por favor',
    file: await pdfBase64(),
    signProfile: [{ name: 'Gil', email: 'gil@example.com', role: 'SIGNER', order: 1 }],
  });
  ok(uploaded, 200, 'auco upload');
  ok(await auco('GET', `/document?code=${uploaded.body.document}`, `Bearer ${publicKey}`), 200, 'auco read');
  ok(
    await auco(
      'GET',
      `/document?code=${uploaded.body.document}`,
      secrets.add('wrong Auco key', `prk_0000000000000000${'ab'.repeat(24)}`),
    ),
    401,
    'wrong auco',
  );
  ok(
    await auco('POST', '/document/cancel', privateKey, {
      codes: [uploaded.body.document],
      email: 'ops@example.com',
      message: 'Error in clause II',
    }),
    200,
    'auco cancel',
  );
}
