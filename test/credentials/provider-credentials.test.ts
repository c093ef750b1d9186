/**
 * Provider credentials over real HTTP, one test per surface: issued through the native admin API
 * (POST /v1/credentials, in the provider's own form), rotated (the new one works beside the old),
 * revoked at once, expired by the clock, and refused with the surface's own 401.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient, type NativeClient } from '../support/native.js';
import { serverWithReceiver } from '../webhooks/support.js';

let server: TestServer;
let admin: NativeClient;
let other: NativeClient;
before(async () => {
  server = await startTestServer();
  admin = nativeClient(server.baseUrl, (await server.createTenant('Acme')).apiKey);
  other = nativeClient(server.baseUrl, (await server.createTenant('Other')).apiKey);
});
after(async () => server.close());

const HOUR = 60 * 60_000;

async function issue(kind: string, extra: Record<string, unknown> = {}) {
  const issued = await admin.request('POST', '/v1/credentials', { kind, ...extra });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));
  assert.equal(issued.body.kind, kind);
  return issued.body as {
    id: string;
    surface: string;
    status: string;
    expires_at: string | null;
    secret: Record<string, string>;
  };
}

async function idOfKind(kind: string): Promise<string> {
  const listed = await admin.request('GET', `/v1/credentials?kind=${kind}`);
  assert.equal(listed.status, 200);
  return listed.body.data[0].id;
}

async function revoke(id: string) {
  const revoked = await admin.request('DELETE', `/v1/credentials/${id}`);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal(revoked.body.status, 'revoked');
}

/** Rotate (the new one works beside the old), revoke the old (its 401 at once, the new still works), then expiry. */
async function lifecycle(
  kind: string,
  works: (secret: Record<string, string>) => Promise<boolean>,
  original: Record<string, string>,
) {
  const originalId = await idOfKind(kind);
  const rotated = await issue(kind, { label: 'rotated' });
  assert.equal(await works(original), true, 'the old credential works until it is revoked');
  assert.equal(await works(rotated.secret), true, 'the new one works at once');
  await revoke(originalId);
  assert.equal(await works(original), false, 'revoked: refused at once');
  assert.equal(await works(rotated.secret), true);

  const expiring = await issue(kind, { expires_at: new Date(server.clock.now() + HOUR).toISOString() });
  assert.equal(expiring.status, 'active');
  assert.equal(await works(expiring.secret), true);
  server.clock.advance(HOUR);
  assert.equal(await works(expiring.secret), false, 'expired: refused');
  assert.equal(await works(rotated.secret), true);
}

test("Lumin API keys: rotate, revoke and expire; refused with Lumin's 401 UNAUTHORIZED", async () => {
  const tenant = await server.createTenant('Lumin Co');
  admin = nativeClient(server.baseUrl, tenant.apiKey);
  let lastRefusal: { status: number; body: unknown } | undefined;
  const works = async (secret: Record<string, string>) => {
    const response = await call(server.baseUrl, 'GET', '/lumin/v1/signature_request/sr_unknown', {
      headers: { 'x-api-key': secret.api_key! },
    });
    if (response.status === 401) lastRefusal = response;
    return response.status === 404;
  };
  await lifecycle('lumin_api_key', works, tenant.surfaces.lumin!);
  assert.equal(lastRefusal?.status, 401);
  assert.deepEqual(lastRefusal?.body, { error_code: 'UNAUTHORIZED', error_message: 'Invalid API key.' });
});

test("Taktikal key pairs: rotate, revoke and expire; refused with Taktikal's 401 and WWW-Authenticate", async () => {
  const tenant = await server.createTenant('Taktikal Co');
  admin = nativeClient(server.baseUrl, tenant.apiKey);
  let lastRefusal: Awaited<ReturnType<typeof call>> | undefined;
  const works = async (secret: Record<string, string>) => {
    const authorization = `Basic ${Buffer.from(`${secret.company_key}:${secret.api_key}`).toString('base64')}`;
    const response = await call(server.baseUrl, 'GET', '/taktikal/api/webhook', { headers: { authorization } });
    if (response.status === 401) lastRefusal = response;
    return response.status === 200;
  };
  await lifecycle('taktikal', works, tenant.surfaces.taktikal!);
  assert.equal(lastRefusal?.body.responseStatus.errorCode, 'Unauthorized');
  assert.match(lastRefusal?.headers.get('www-authenticate') ?? '', /^Basic/);
});

test('KAiZEN app tokens: rotate, revoke and expire; refused with FailRules InvalidAppToken', async () => {
  const tenant = await server.createTenant('KAiZEN Co');
  admin = nativeClient(server.baseUrl, tenant.apiKey);
  let lastRefusal: unknown;
  const works = async (secret: Record<string, string>) => {
    const response = await call(server.baseUrl, 'POST', '/kaizen/api/RecallSignRequest', {
      body: {
        signRequestId: '01HQMDXYCP019Z2P3SXQPSB538',
        appToken: secret.app_token,
        recallReason: 'test',
        recalledBy: 'Ann',
      },
    });
    assert.equal(response.status, 200);
    const code = response.body.FailRules[0]?.Code;
    if (code === 'InvalidAppToken') lastRefusal = response.body;
    return code === 'SignRequestNotFound';
  };
  await lifecycle('kaizen_app_token', works, tenant.surfaces.kaizen!);
  assert.deepEqual(lastRefusal, {
    FailRules: [{ Code: 'InvalidAppToken', Message: 'Invalid App Token' }],
    Data: false,
  });
});

test("Auco keys: rotate, revoke and expire, private and public alike; refused with Auco's 401", async () => {
  const tenant = await server.createTenant('Auco Co');
  admin = nativeClient(server.baseUrl, tenant.apiKey);
  let lastRefusal: Awaited<ReturnType<typeof call>> | undefined;
  const works = (name: 'private_key' | 'public_key') => async (secret: Record<string, string>) => {
    const response = await call(server.baseUrl, 'GET', '/auco/v1.5/ext/company', {
      headers: { authorization: secret[name]! },
    });
    if (response.status === 401) lastRefusal = response;
    return response.status === 200;
  };
  await lifecycle('auco_private', works('private_key'), tenant.surfaces.auco!);
  assert.equal(lastRefusal?.body.code, 'UNAUTHORIZED');
  await lifecycle('auco_public', works('public_key'), tenant.surfaces.auco!);
});

test("the list shows every provider kind of the tenant only, never a secret; other tenants' ids are unknown ids", async () => {
  const tenant = await server.createTenant('Listing Co');
  const mine = nativeClient(server.baseUrl, tenant.apiKey);
  const listed = await mine.request('GET', '/v1/credentials');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.data.map((entry: { kind: string }) => entry.kind).sort(), [
    'auco_private',
    'auco_public',
    'kaizen_app_token',
    'lumin_api_key',
    'taktikal',
  ]);
  assert.deepEqual(listed.body.data.map((entry: { surface: string }) => entry.surface).sort(), [
    'auco',
    'auco',
    'kaizen',
    'lumin',
    'taktikal',
  ]);
  const text = JSON.stringify(listed.body);
  for (const secret of [
    tenant.surfaces.lumin!.api_key!,
    tenant.surfaces.taktikal!.api_key!,
    tenant.surfaces.auco!.private_key!,
  ])
    assert.ok(!text.includes(secret));
  assert.ok(!text.includes('secret_hash') && !text.includes('sealed'));

  const theirs = (await other.request('GET', '/v1/credentials?kind=taktikal')).body.data[0].id;
  const foreign = await mine.request('DELETE', `/v1/credentials/${theirs}`);
  const unknown = await mine.request('DELETE', '/v1/credentials/key_01unknown');
  assert.deepEqual([foreign.status, foreign.body.detail], [unknown.status, unknown.body.detail]);
  assert.equal(foreign.status, 404);
  assert.equal(
    (await other.request('GET', '/v1/credentials?kind=taktikal&status=active')).body.data.length,
    1,
    'untouched',
  );
  // A native key is not a provider credential, and bad input changes nothing.
  assert.equal(
    (await mine.request('DELETE', `/v1/credentials/${(await mine.request('GET', '/v1/api-keys')).body.data[0].id}`))
      .status,
    404,
  );
  for (const body of [
    { kind: 'native_api_key' },
    { kind: 'lumin_token' },
    { kind: 'auco_private', expires_at: 'soon' },
    { kind: 'auco_private', extra: 1 },
  ]) {
    const refused = await mine.request('POST', '/v1/credentials', body);
    assert.deepEqual([refused.status, refused.body.code], [400, 'validation_failed'], JSON.stringify(body));
  }
  assert.equal((await mine.request('GET', '/v1/credentials')).body.data.length, 5, 'nothing was issued');
  assert.equal((await mine.request('GET', '/v1/credentials?kind=nope')).status, 400);
  const events = (await mine.request('GET', '/v1/audit/events')).body.data;
  assert.equal(events.filter((event: { type: string }) => event.type.startsWith('credential.')).length, 0);
});

test('Lumin webhooks are signed with the oldest live API key: after the Primary is revoked, the rotated key signs', async (t) => {
  const { server: hooks, receiver } = await serverWithReceiver(t);
  const tenant = await hooks.createTenant('Lumin Hooks');
  const owner = nativeClient(hooks.baseUrl, tenant.apiKey);
  assert.equal((await owner.request('PUT', '/v1/admin/lumin/callback', { url: receiver.url })).status, 200);
  const rotated = await owner.request('POST', '/v1/credentials', { kind: 'lumin_api_key', label: 'rotated' });
  const primary = (await owner.request('GET', '/v1/credentials?kind=lumin_api_key')).body.data[0];
  assert.equal(primary.label, 'Primary');
  assert.equal((await owner.request('DELETE', `/v1/credentials/${primary.id}`)).status, 200);
  const created = await owner.createRequest();
  const [received] = await receiver.waitFor(1);
  assert.equal(JSON.parse(received!.body).signature_request.signature_request_id, created.id);
  assert.equal(
    received!.headers['x-signature'],
    createHmac('sha256', rotated.body.secret.api_key).update(received!.body, 'utf8').digest('hex'),
  );
});
