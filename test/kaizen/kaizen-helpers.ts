/** Driving the KAiZEN surface over HTTP in tests. */
import assert from 'node:assert/strict';
import { call, makePdf, type TestServer } from '../support/harness.js';
import { signingPath } from '../support/native.js';

export const INITIATE = '/kaizen/api/InitiateSignRequest?code=azure-function-key';
export const RECALL = '/kaizen/api/RecallSignRequest?code=azure-function-key';

let pdfBase64: string | undefined;
export async function pdfAsBase64(): Promise<string> {
  pdfBase64 ??= Buffer.from(await makePdf()).toString('base64');
  return pdfBase64;
}

export async function initiate(
  server: TestServer,
  appToken: string,
  signers = [{ name: 'Ann Signer', email: 'ann@example.com', Order: 1 }],
  extra: Record<string, unknown> = {},
) {
  const response = await call(server.baseUrl, 'POST', INITIATE, {
    body: {
      appToken,
      title: 'Service agreement',
      document: await pdfAsBase64(),
      fileName: 'agreement.pdf',
      signers,
      ...extra,
    },
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.body.FailRules, [], JSON.stringify(response.body));
  return response.body.Data as { SignRequestId: string; RequestNo: string };
}

export function recall(server: TestServer, body: Record<string, unknown>) {
  return call(server.baseUrl, 'POST', RECALL, { body });
}

/** The native view of a request (any id form), with signing links. */
export async function nativeView(server: TestServer, apiKey: string, id: string) {
  const response = await call(server.baseUrl, 'GET', `/v1/signature-requests/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return response;
}

/** Signs as the signer at `index`, through the native signing link: Proceed to Sign, then sign. */
export async function signAs(server: TestServer, apiKey: string, id: string, index: number): Promise<void> {
  const view = await nativeView(server, apiKey, id);
  const path = signingPath(view.body.signers[index].signing_url);
  assert.equal((await call(server.baseUrl, 'POST', `${path}/start`)).status, 200);
  const signed = await call(server.baseUrl, 'POST', `${path}/sign`, {
    body: { signature: { type: 'typed', text: view.body.signers[index].name } },
  });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
}
