/** Driving the Auco surface over HTTP in tests. */
import assert from 'node:assert/strict';
import { call, makePdf, type TestServer } from '../support/harness.js';
import { signingPath } from '../support/native.js';

export const BASE = '/auco/v1.5/ext';

export interface AucoKeys {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly apiKey: string;
  readonly tenantId: string;
}

export async function aucoTenant(server: TestServer, name = 'Acme'): Promise<AucoKeys> {
  const tenant = await server.createTenant(name);
  const keys = tenant.surfaces.auco!;
  return {
    privateKey: keys.private_key!,
    publicKey: keys.public_key!,
    apiKey: tenant.apiKey,
    tenantId: tenant.tenantId,
  };
}

let pdfBase64: string | undefined;
export async function pdfAsBase64(): Promise<string> {
  pdfBase64 ??= Buffer.from(await makePdf()).toString('base64');
  return pdfBase64;
}

export type SignProfile = { name: string; email: string; order?: number; role?: string; phone?: string };
const ONE_SIGNER: SignProfile[] = [
  { name: 'Firmante de prueba', email: 'firmante@example.com', role: 'SIGNER', order: 1 },
];

export async function uploadBody(signProfile: SignProfile[] = ONE_SIGNER, extra: Record<string, unknown> = {}) {
  return {
    email: 'owner@example.com',
    name: 'Contrato de prueba del API',
    subject: 'Firma este contrato',
    message: 'Por favor firma',
    file: await pdfAsBase64(),
    signProfile,
    ...extra,
  };
}

export function auco(server: TestServer, method: string, path: string, key: string | undefined, body?: unknown) {
  return call(server.baseUrl, method, `${BASE}${path}`, {
    ...(body !== undefined ? { body } : {}),
    headers: key === undefined ? {} : { authorization: key },
  });
}

export async function upload(
  server: TestServer,
  keys: AucoKeys,
  signProfile?: SignProfile[],
  extra?: Record<string, unknown>,
): Promise<string> {
  const response = await auco(
    server,
    'POST',
    '/document/upload',
    keys.privateKey,
    await uploadBody(signProfile, extra),
  );
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.document as string;
}

export async function nativeView(server: TestServer, keys: AucoKeys, id: string) {
  return call(server.baseUrl, 'GET', `/v1/signature-requests/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${keys.apiKey}` },
  });
}

async function signingPathOf(server: TestServer, keys: AucoKeys, code: string, index: number): Promise<string> {
  const view = await nativeView(server, keys, code);
  return signingPath(view.body.signers[index].signing_url);
}

/** Proceed to Sign, then sign, as the signer at `index`, through the native signing link. */
export async function signAs(server: TestServer, keys: AucoKeys, code: string, index: number): Promise<void> {
  const path = await signingPathOf(server, keys, code, index);
  assert.equal((await call(server.baseUrl, 'POST', `${path}/start`)).status, 200);
  assert.equal(
    (await call(server.baseUrl, 'POST', `${path}/sign`, { body: { signature: { type: 'typed', text: 'Signed' } } }))
      .status,
    200,
  );
}

export async function declineAs(server: TestServer, keys: AucoKeys, code: string, index: number): Promise<void> {
  const path = await signingPathOf(server, keys, code, index);
  assert.equal(
    (await call(server.baseUrl, 'POST', `${path}/decline`, { body: { reason: 'No estoy de acuerdo' } })).status,
    200,
  );
}

/** Addresses of the cancellation emails queued for a request, in the outbox. */
export function cancellationEmails(server: TestServer, requestId: string): string[] {
  return (server.db.prepare("SELECT payload FROM outbox WHERE topic = 'email'").pluck().all() as string[])
    .map(
      (payload) =>
        JSON.parse(payload) as {
          template: string;
          request_id: string;
          to: { address: string };
          message: string | null;
        },
    )
    .filter((email) => email.template === 'request_cancelled' && email.request_id === requestId)
    .map((email) => email.to.address)
    .sort();
}
