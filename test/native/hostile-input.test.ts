/**
 * Every route the server registers (native, admin, signing, and all five provider surfaces) gets
 * hostile input, with and without valid credentials: it must answer a 4xx, never a 5xx.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';

let server: TestServer;
let routes: { method: string; path: string; auth: Record<string, string> }[];

before(async () => {
  server = await startTestServer();
  const tenant = await server.createTenant();
  const request = await nativeClient(server.baseUrl, tenant.apiKey).createRequest();
  const id = request.id as string;
  const token = new URL(request.signers[0].signing_url).pathname.split('/').pop()!;
  const native = { authorization: `Bearer ${tenant.apiKey}` };
  const lumin = { 'x-api-key': tenant.surfaces.lumin!.api_key! };
  const taktikal = {
    authorization: `Basic ${Buffer.from(`${tenant.surfaces.taktikal!.company_key}:${tenant.surfaces.taktikal!.api_key}`).toString('base64')}`,
  };
  const auco = { authorization: tenant.surfaces.auco!.private_key! };
  const none = {};
  const list: [string, string, Record<string, string>][] = [
    ['POST', '/v1/signature-requests', native],
    ['GET', '/v1/signature-requests?limit=abc&cursor=%00', native],
    ['POST', '/v1/signature-requests/cancel', native],
    ['GET', `/v1/signature-requests/${id}`, native],
    ['GET', `/v1/signature-requests/${id}/document?variant=nope`, native],
    ['POST', `/v1/signature-requests/${id}/cancel`, native],
    ['GET', `/v1/signature-requests/${id}/events`, native],
    ['GET', `/v1/signing/${token}`, none],
    ['POST', `/v1/signing/${token}/viewed`, none],
    ['POST', `/v1/signing/${token}/start`, none],
    ['DELETE', `/v1/signature-requests/${id}/pending-cancellation`, native],
    ['POST', `/v1/signing/${token}/sign`, none],
    ['POST', `/v1/signing/${token}/decline`, none],
    ['POST', '/v1/sequences', native],
    ['GET', '/v1/sequences/seq_x', native],
    ['GET', '/v1/audit/verify', native],
    ['POST', '/v1/api-keys', native],
    ['GET', '/v1/api-keys?limit=x&status=%00&cursor[]=1', native],
    ['DELETE', `/v1/api-keys/${'x'.repeat(300)}`, native],
    ['GET', '/v1/credentials?kind=nope', native],
    ['POST', '/v1/credentials', native],
    ['DELETE', '/v1/credentials/key_x', native],
    ['GET', '/v1/audit/events?after_seq=-1&limit=1e9', native],
    ['GET', '/v1/admin/outbox?status=weird', native],
    ['POST', '/v1/admin/outbox/obx_x/replay', native],
    ['POST', '/v1/admin/lumin/tokens', native],
    ['POST', '/v1/admin/lumin/apps', native],
    ['POST', '/v1/admin/lumin/credentials/x/revoke', native],
    ['PUT', '/v1/admin/lumin/callback', native],
    ['POST', '/v1/admin/singpass/clients', native],
    ['POST', '/v1/webhooks', native],
    ['PUT', '/v1/admin/singpass/clients/rp-x/webhook', native],
    ['DELETE', `/v1/admin/singpass/clients/${'x'.repeat(300)}/webhook`, native],
    ['GET', '/singpass/.well-known/keys.json?kid[]=%00', none],
    ['GET', '/v1/webhooks/whe_x/deliveries?limit=-1', native],
    ['POST', '/v1/webhooks/whe_x/events/evt_x/replay', native],
    ['GET', '/v1/mails?limit=x', native],
    ['POST', '/v1/kaizen/app-tokens', native],
    ['POST', '/lumin/v1/signature_request/send', lumin],
    ['GET', `/lumin/v1/signature_request/${id}`, lumin],
    ['PATCH', `/lumin/v1/signature_request/${id}`, lumin],
    ['PUT', `/lumin/v1/signature_request/cancel/${id}`, lumin],
    ['POST', '/lumin/oauth2/token', none],
    ['POST', '/singpass/api/v3/sign-requests', { authorization: 'eyJhbGciOiJub25lIn0.e30.' }],
    ['POST', '/singpass/api/v3/sign-requests/cancel', { authorization: 'garbage' }],
    ['GET', '/singpass/api/v3/sign-requests/x/signed-doc', { authorization: 'a.b.c' }],
    ['GET', '/singpass/api/v3/signed-documents/garbage', none],
    ['POST', '/taktikal/api/management/signing', taktikal],
    ['DELETE', '/taktikal/api/management/signing?ProcessKey=%FF&User=x', taktikal],
    ['POST', '/taktikal/management/signing/sequential', taktikal],
    ['DELETE', '/taktikal/api/management/signing/sequential?SequenceKey=', taktikal],
    ['GET', '/taktikal/api/signing/activity?StartDate=yesterday&EndDate=0', taktikal],
    ['GET', '/taktikal/api/signing/activity/spX?StartDate=&EndDate=', taktikal],
    ['GET', '/taktikal/api/signing/spX/signee/siX', taktikal],
    ['POST', '/taktikal/api/webhook', taktikal],
    ['DELETE', '/taktikal/api/webhook/x', taktikal],
    ['POST', '/kaizen/api/InitiateSignRequest', none],
    ['POST', '/kaizen/api/RecallSignRequest?code=x', none],
    ['POST', '/auco/v1.5/ext/document/upload', auco],
    ['GET', '/auco/v1.5/ext/document?code[]=x', auco],
    ['POST', '/auco/v1.5/ext/document/cancel', auco],
    ['PUT', '/auco/v1.5/ext/company', auco],
  ];
  routes = list.map(([method, path, auth]) => ({ method, path, auth }));
});
after(async () => server.close());

// 10,000 levels: JSON.stringify itself would overflow here, so the text is built directly.
const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const bodies: [string, string][] = [
  ['application/json', '{"title": '],
  ['application/json', 'null'],
  ['application/json', '[]'],
  ['application/json', '"just a string"'],
  [
    'application/json',
    JSON.stringify({
      title: { $gt: '' },
      signers: [null, 7, { email: [] }],
      ids: [1, {}],
      codes: 'x',
      document: 12,
      filter: [],
      appToken: {},
      signRequestId: [],
      url: { href: 1 },
      scopes: 'all',
      webhooks: [{ id: null }],
      FlowKey: 1e308,
      __proto__: { admin: true },
    }),
  ],
  ['application/json', deep],
  [
    'application/json',
    JSON.stringify({
      title: '\u0000\ud800'.repeat(100),
      signers: [{ name: 'x'.repeat(100_000), email: 'a@b' }],
      expires_at: -1,
      expiresAt: 'NaN',
    }),
  ],
  ['text/plain', 'hello'],
  ['application/xml', '<a/>'],
  ['application/x-www-form-urlencoded', 'a=b&c[]=d'],
  [
    'multipart/form-data; boundary=xyz',
    '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\nnot a pdf\r\n--xy',
  ],
  ['application/octet-stream', '%PDF-1.7 truncated'],
];

test('no route answers a 5xx to hostile input, with or without credentials', async () => {
  const failures: string[] = [];
  for (const route of routes) {
    for (const withAuth of [true, false]) {
      const variants = route.method === 'GET' || route.method === 'DELETE' ? [undefined] : bodies;
      for (const body of variants) {
        const headers: Record<string, string> = { ...(withAuth ? route.auth : { authorization: 'Bearer nonsense' }) };
        if (body) headers['content-type'] = body[0];
        const response = await fetch(server.baseUrl + route.path, {
          method: route.method,
          headers,
          ...(body ? { body: body[1] } : {}),
        });
        await response.arrayBuffer();
        if (response.status >= 500)
          failures.push(
            `${route.method} ${route.path} auth=${withAuth} ${body?.[0] ?? ''} ${body?.[1].slice(0, 30) ?? ''} -> ${response.status}`,
          );
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('a URL with a malformed percent-escape is refused in the error format of the surface it names', async () => {
  // [path, the envelope's identifying member]: every surface, and an unknown path (native problem+json).
  const cases: [string, (body: Record<string, unknown>) => unknown][] = [
    ['/v1/signature-requests/%E0%A4%A', (body) => body.code],
    ['/lumin/v1/signature_request/%zz', (body) => body.error_code],
    ['/singpass/api/v3/sign-requests/%zz/signed-doc', (body) => body.error],
    [
      '/taktikal/api/signing/sp%zz/signee/si1',
      (body) => (body.responseStatus as { errorCode: string } | undefined)?.errorCode,
    ],
    ['/kaizen/api/RecallSignRequest%zz', (body) => (body.FailRules as { Code: string }[] | undefined)?.[0]?.Code],
    ['/auco/v1.5/ext/document/%', (body) => body.code],
    ['/no-such-surface/%zz?x=%', (body) => body.code],
  ];
  for (const [path, member] of cases) {
    const response = await fetch(server.baseUrl + path);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 400, path);
    assert.equal(typeof member(body), 'string', `${path} answers its surface's envelope: ${JSON.stringify(body)}`);
    assert.match(JSON.stringify(body), /percent-escape/, path);
  }
});
