/** Helpers for driving the native /v1 API in tests. */
import { call, makePdf } from './harness.js';

export interface NativeClient {
  readonly baseUrl: string;
  readonly apiKey: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): ReturnType<typeof call>;
  createRequest(options?: {
    signers?: { name: string; email: string; order?: number }[];
    title?: string;
    sequenceId?: string;
    ownerEmail?: string;
    expiresAt?: string;
  }): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let pdfBase64: string | undefined;

export function nativeClient(baseUrl: string, apiKey: string): NativeClient {
  const request: NativeClient['request'] = (method, path, body, headers = {}) =>
    call(baseUrl, method, path, {
      ...(body !== undefined ? { body } : {}),
      headers: { authorization: `Bearer ${apiKey}`, ...headers },
    });
  return {
    baseUrl,
    apiKey,
    request,
    async createRequest(options = {}) {
      pdfBase64 ??= Buffer.from(await makePdf()).toString('base64');
      const response = await request('POST', '/v1/signature-requests', {
        title: options.title ?? 'Agreement',
        signers: options.signers ?? [{ name: 'Ann Signer', email: 'ann@example.com' }],
        document: { filename: 'agreement.pdf', content_base64: pdfBase64 },
        ...(options.sequenceId ? { sequence_id: options.sequenceId } : {}),
        ...(options.ownerEmail ? { owner_email: options.ownerEmail } : {}),
        ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
      });
      if (response.status !== 201)
        throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
  };
}

/** The signing path (`/v1/signing/<token>`) from a signer's signing_url. */
export function signingPath(signingUrl: string): string {
  return new URL(signingUrl).pathname;
}
