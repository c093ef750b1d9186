/**
 * Registering a webhook endpoint is one audited core use case with one URL policy, whichever API a
 * tenant uses: the native API, Taktikal `POST /webhook`, Auco `PUT /company`, the Lumin callback and
 * a Singpass relying party's webhook. Each answers in its own format; the rule and its words are the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';
import { nativeClient } from '../support/native.js';
import { basicAuth } from '../taktikal/taktikal-client.js';
import { createSigningKey } from '../singpass/singpass-fixtures.js';

// A server with the default SSRF rules; public receivers written as literals, so that no DNS is needed.
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

type Tenant = Awaited<ReturnType<TestServer['createTenant']>>;
type Answer = Awaited<ReturnType<typeof call>>;

interface Surface {
  readonly name: string;
  /** The audit event's `surface`. */
  readonly callSurface: string;
  readonly format: string;
  register(tenant: Tenant, url: string): Promise<Answer>;
  /** The sentence that says why a URL was refused, read from the surface's own error format. */
  refusal(answer: Answer): string;
}

/** problem+json: 400 validation_failed, the issue at body.url. */
function problemRefusal(answer: {
  status: number;
  body: { code: string; detail: string; issues: { path: string }[] };
}) {
  assert.equal(answer.status, 400);
  assert.equal(answer.body.code, 'validation_failed');
  assert.equal(answer.body.issues[0]?.path, 'body.url');
  return answer.body.detail;
}

const native = (tenant: Tenant) => nativeClient(server.baseUrl, tenant.apiKey);

const SURFACES: readonly Surface[] = [
  {
    name: 'native POST /v1/webhooks',
    callSurface: 'v1',
    format: 'native',
    register: (tenant, url) => native(tenant).request('POST', '/v1/webhooks', { url, events: ['*'] }),
    refusal: problemRefusal,
  },
  {
    name: 'Taktikal POST /webhook',
    callSurface: 'taktikal',
    format: 'taktikal',
    register: (tenant, url) =>
      call(server.baseUrl, 'POST', '/taktikal/api/webhook', {
        body: { Url: url },
        headers: {
          authorization: basicAuth(tenant.surfaces.taktikal!.company_key!, tenant.surfaces.taktikal!.api_key!),
        },
      }),
    refusal(answer) {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.responseStatus.errorCode, 'InvalidUrl');
      assert.equal(answer.body.responseStatus.errors[0].fieldName, 'Url');
      return answer.body.responseStatus.message;
    },
  },
  {
    name: 'Auco PUT /company',
    callSurface: 'auco',
    format: 'auco',
    register: (tenant, url) =>
      call(server.baseUrl, 'PUT', '/auco/v1.5/ext/company', {
        body: { webhooks: [{ id: 'default', url }] },
        headers: { authorization: tenant.surfaces.auco!.private_key! },
      }),
    refusal(answer) {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.code, 'INVALID_PARAMETERS');
      assert.equal(answer.body.errors[0].field, 'body.webhooks.0.url');
      return answer.body.message;
    },
  },
  {
    name: 'Lumin callback PUT /v1/admin/lumin/callback',
    callSurface: 'v1',
    format: 'lumin',
    register: (tenant, url) => native(tenant).request('PUT', '/v1/admin/lumin/callback', { url }),
    refusal: problemRefusal,
  },
  {
    name: 'Singpass PUT /v1/admin/singpass/clients/{client_id}/webhook',
    callSurface: 'v1',
    format: 'singpass',
    async register(tenant, url) {
      const clientId = `rp-${tenant.tenantId.slice(-8).toLowerCase()}`;
      const key = await createSigningKey('k1');
      const client = await native(tenant).request('POST', '/v1/admin/singpass/clients', {
        client_id: clientId,
        jwks: { keys: [key.publicJwk] },
      });
      assert.equal(client.status, 201, JSON.stringify(client.body));
      return native(tenant).request('PUT', `/v1/admin/singpass/clients/${clientId}/webhook`, { url });
    },
    refusal: problemRefusal,
  },
];

interface WebhookAuditEvent {
  type: string;
  surface: string;
  request_id: string | null;
  data: { format: string; disabled: string[]; endpoints: { id: string; url: string }[] };
}

async function webhookEvents(tenant: Tenant): Promise<WebhookAuditEvent[]> {
  const answer = await native(tenant).request('GET', '/v1/audit/events?limit=1000');
  assert.equal(answer.status, 200);
  return (answer.body.data as WebhookAuditEvent[]).filter((event) => event.type === 'webhooks.replaced');
}

async function liveEndpointUrls(tenant: Tenant): Promise<string[]> {
  const answer = await native(tenant).request('GET', '/v1/webhooks');
  assert.equal(answer.status, 200);
  return (answer.body.data as { url: string; enabled: boolean }[])
    .filter((endpoint) => endpoint.enabled)
    .map((endpoint) => endpoint.url);
}

describe('registering an endpoint writes its audit event, through every surface', () => {
  for (const surface of SURFACES) {
    test(surface.name, async () => {
      const tenant = await server.createTenant();
      const url = 'https://93.184.216.34/hooks/receiver';
      const registered = await surface.register(tenant, url);
      assert.equal(registered.status < 300, true, JSON.stringify(registered.body));
      const events = await webhookEvents(tenant);
      assert.equal(events.length, 1, JSON.stringify(events));
      const [event] = events;
      assert.equal(event!.request_id, null);
      assert.equal(event!.surface, surface.callSurface);
      assert.equal(event!.data.format, surface.format);
      assert.deepEqual(event!.data.disabled, []);
      assert.deepEqual(
        event!.data.endpoints.map((endpoint) => endpoint.url),
        [url],
      );
      assert.deepEqual(await liveEndpointUrls(tenant), [url]);
      const verified = await native(tenant).request('GET', '/v1/audit/verify');
      assert.equal(verified.body.ok, true);
    });
  }
});

describe('a refused URL is refused for the same reason, in the same words, everywhere, and changes nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['credentials in the URL', 'https://user:pw@93.184.216.34/hook', /^invalid_url: credentials in the URL/],
    ['a private address', 'http://10.1.2.3/hook', /^blocked_address: /],
    ['loopback', 'http://127.0.0.1:9/hook', /^blocked_address: /],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data', /^blocked_address: /],
    ['a fragment', 'https://93.184.216.34/hook#section', /^fragment_in_url: /],
    ['not http(s)', 'ftp://93.184.216.34/hook', /^unsupported_scheme: /],
  ];
  for (const [what, url, reason] of cases) {
    test(what, async () => {
      const sentences = new Set<string>();
      for (const surface of SURFACES) {
        const tenant = await server.createTenant();
        const sentence = surface.refusal(await surface.register(tenant, url));
        const inside = /^The webhook URL is not allowed \((.*)\)\.$/.exec(sentence)?.[1];
        assert.match(inside ?? sentence, reason, `${surface.name}: ${sentence}`);
        sentences.add(sentence);
        assert.deepEqual(await liveEndpointUrls(tenant), [], surface.name);
        assert.deepEqual(await webhookEvents(tenant), [], surface.name);
      }
      assert.equal(sentences.size, 1, [...sentences].join('\n'));
    });
  }
});

test('disabling writes its audit event once (native and Taktikal DELETE); the endpoint stays readable', async () => {
  const tenant = await server.createTenant();
  const nativeEndpoint = await SURFACES[0]!.register(tenant, 'https://93.184.216.34/native');
  const taktikalEndpoint = await SURFACES[1]!.register(tenant, 'https://93.184.216.34/taktikal');
  const deleteNative = () => native(tenant).request('DELETE', `/v1/webhooks/${nativeEndpoint.body.id}`);
  const deleteTaktikal = () =>
    call(server.baseUrl, 'DELETE', `/taktikal/api/webhook/${taktikalEndpoint.body.id}`, {
      headers: { authorization: basicAuth(tenant.surfaces.taktikal!.company_key!, tenant.surfaces.taktikal!.api_key!) },
    });
  assert.equal((await deleteNative()).status, 200);
  assert.equal((await deleteNative()).status, 200, 'idempotent');
  assert.equal((await deleteTaktikal()).status, 204);
  assert.equal((await deleteTaktikal()).status, 404, 'gone for a Taktikal client');
  const disabling = (await webhookEvents(tenant)).filter((event) => event.data.disabled.length > 0);
  assert.deepEqual(
    disabling.map((event) => [event.surface, event.data.format, event.data.disabled, event.data.endpoints]),
    [
      ['v1', 'native', [nativeEndpoint.body.id], []],
      ['taktikal', 'taktikal', [taktikalEndpoint.body.id], []],
    ],
  );
  assert.equal((await native(tenant).request('GET', `/v1/webhooks/${nativeEndpoint.body.id}`)).body.enabled, false);
});
