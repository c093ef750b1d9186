/** Shared set-up for the Lumin surface tests: a server, the spec validator, tenants and signers. */
import { call, makePdf, startTestServer, type TestServer } from '../support/harness.js';
import { LuminOpenApi, luminClient, type LuminFetch } from '../support/lumin-openapi.js';
import { nativeClient, signingPath, type NativeClient } from '../support/native.js';

export interface LuminTenant {
  readonly tenantId: string;
  readonly apiKey: string;
  readonly nativeKey: string;
  readonly native: NativeClient;
  /** Authenticated with `X-API-Key`. */
  readonly lumin: LuminFetch;
}

export interface LuminWorld {
  readonly server: TestServer;
  readonly spec: LuminOpenApi;
  tenant(name?: string): Promise<LuminTenant>;
  /** A client with the given auth headers (or none). */
  client(headers?: Record<string, string>): LuminFetch;
}

export async function startLuminWorld(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<LuminWorld> {
  const server = await startTestServer(overrides);
  const spec = await LuminOpenApi.load();
  const client = (headers: Record<string, string> = {}) => luminClient(server.baseUrl, spec, headers);
  return {
    server,
    spec,
    client,
    async tenant(name = 'Acme') {
      const created = await server.createTenant(name);
      const apiKey = created.surfaces.lumin?.api_key;
      if (!apiKey) throw new Error('the tenant got no Lumin API key');
      return {
        tenantId: created.tenantId,
        apiKey,
        nativeKey: created.apiKey,
        native: nativeClient(server.baseUrl, created.apiKey),
        lumin: client({ 'x-api-key': apiKey }),
      };
    },
  };
}

let cachedPdf: string | undefined;
export async function pdfBase64(): Promise<string> {
  cachedPdf ??= Buffer.from(await makePdf()).toString('base64');
  return cachedPdf;
}

export const DAY = 86_400_000;

/** A valid JSON SignatureRequestDTO with a base64 file, due in 30 days of the server clock. */
export async function sendBody(
  world: LuminWorld,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  return {
    title: 'Financial Year-End Report Authorization',
    file: await pdfBase64(),
    signers: [{ email_address: 'john.doe@example.com', name: 'John Doe' }],
    expires_at: world.server.clock.now() + 30 * DAY,
    ...overrides,
  };
}

/** Sends a request through Lumin and returns its id. */
export async function sendRequest(
  world: LuminWorld,
  tenant: LuminTenant,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await tenant.lumin('POST', '/signature_request/send', { json: await sendBody(world, overrides) });
  if (response.status !== 201) throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.signature_request.signature_request_id as string;
}

/** The native signing paths of a request's signers, by email. */
export async function signingPaths(tenant: LuminTenant, id: string): Promise<Map<string, string>> {
  const response = await tenant.native.request('GET', `/v1/signature-requests/${id}`);
  if (response.status !== 200) throw new Error(`native get failed: ${response.status}`);
  return new Map(
    (response.body.signers as { email: string; signing_url: string }[]).map((signer) => [
      signer.email,
      signingPath(signer.signing_url),
    ]),
  );
}

/** Drives one signer through the native signing endpoints: Proceed to Sign, then sign. */
export async function signAs(world: LuminWorld, path: string, name = 'John Doe'): Promise<void> {
  const started = await call(world.server.baseUrl, 'POST', `${path}/start`);
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  const signed = await call(world.server.baseUrl, 'POST', `${path}/sign`, {
    body: { signature: { type: 'typed', text: name } },
  });
  if (signed.status !== 200) throw new Error(`sign failed: ${signed.status} ${JSON.stringify(signed.body)}`);
}
