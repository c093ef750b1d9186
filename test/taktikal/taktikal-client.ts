/** Helpers for driving the Taktikal surface over real HTTP in tests. */
import type { TestServer } from '../support/harness.js';
import { call, makePdf } from '../support/harness.js';

export interface TaktikalCredentials {
  readonly company_key: string;
  readonly api_key: string;
}

export interface TaktikalTenant {
  readonly tenantId: string;
  readonly apiKey: string;
  readonly credentials: TaktikalCredentials;
  readonly client: TaktikalClient;
}

export interface TaktikalClient {
  request(
    method: string,
    path: string,
    options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): ReturnType<typeof call>;
}

export function basicAuth(companyKey: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${companyKey}:${apiKey}`, 'utf8').toString('base64')}`;
}

export function taktikalClient(
  baseUrl: string,
  credentials: TaktikalCredentials,
  mount = '/taktikal/api',
): TaktikalClient {
  return {
    request: (method, path, options = {}) =>
      call(baseUrl, method, mount + path, {
        ...options,
        headers: {
          authorization: basicAuth(credentials.company_key, credentials.api_key),
          accept: 'application/json',
          ...options.headers,
        },
      }),
  };
}

export async function createTaktikalTenant(server: TestServer, name = 'Acme'): Promise<TaktikalTenant> {
  const created = await server.createTenant(name);
  const credentials = created.surfaces.taktikal as unknown as TaktikalCredentials;
  return {
    tenantId: created.tenantId,
    apiKey: created.apiKey,
    credentials,
    client: taktikalClient(server.baseUrl, credentials),
  };
}

let pdfBase64: string | undefined;
export async function pdfAsBase64(): Promise<string> {
  pdfBase64 ??= Buffer.from(await makePdf()).toString('base64');
  return pdfBase64;
}

export interface SigneeInput {
  readonly name: string;
  readonly email?: string;
  readonly communicationDeliveryType?: string;
  readonly [key: string]: unknown;
}

/** A CreateSigningProcess body, in the docs' mixed casing. */
export async function processBody(
  signees: readonly SigneeInput[] = [
    { name: 'Ann Signee', email: 'ann@example.com', communicationDeliveryType: 'email' },
  ],
  extra: Record<string, unknown> = {},
) {
  return {
    pdfDocument: await pdfAsBase64(),
    pdfFileName: 'contract.pdf',
    flowKey: '7e364abfaxx5',
    meta: { myKey: 'myvalue' },
    user: 'owner@example.com',
    SignInOrder: false,
    RequiresAuth: false,
    SignatureLocation: 'TopFirstPage',
    flattenDocument: false,
    createSignees: signees,
    ...extra,
  };
}

export async function createProcess(
  client: TaktikalClient,
  signees?: readonly SigneeInput[],
  extra?: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const response = await client.request('POST', '/management/signing', { body: await processBody(signees, extra) });
  if (response.status !== 200) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface OutboxRow {
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

/** The outbox rows of a tenant, oldest first, read straight from the database. */
export function outboxRows(server: TestServer, tenantId: string): OutboxRow[] {
  const rows = server.db
    .prepare('SELECT topic, payload FROM outbox WHERE tenant_id = ? ORDER BY created_at, id')
    .all(tenantId) as { topic: string; payload: string }[];
  return rows.map((row) => ({ topic: row.topic, payload: JSON.parse(row.payload) as Record<string, unknown> }));
}

/** Open (the page reporting "viewed"), Proceed to Sign and sign, through the signer's own link, as a person would. */
export async function signThroughLink(server: TestServer, signingUrl: string): Promise<void> {
  const path = new URL(signingUrl).pathname;
  const view = await call(server.baseUrl, 'GET', path);
  if (view.status !== 200) throw new Error(`view failed: ${view.status} ${JSON.stringify(view.body)}`);
  const viewed = await call(server.baseUrl, 'POST', `${path}/viewed`);
  if (viewed.status !== 200) throw new Error(`viewed failed: ${viewed.status} ${JSON.stringify(viewed.body)}`);
  const start = await call(server.baseUrl, 'POST', `${path}/start`);
  if (start.status !== 200) throw new Error(`start failed: ${start.status} ${JSON.stringify(start.body)}`);
  const signed = await call(server.baseUrl, 'POST', `${path}/sign`, {
    body: { signature: { type: 'typed', text: 'Signed' } },
  });
  if (signed.status !== 200) throw new Error(`sign failed: ${signed.status} ${JSON.stringify(signed.body)}`);
}
