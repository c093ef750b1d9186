/**
 * The `signed_doc_url` of the signed-doc answer: a short-lived link the RP downloads without
 * other credentials (the demo RP app fetches it plainly). Singpass documents it as valid for
 * 2 minutes. Stateless: `<request_id>.<exp seconds>.<HMAC>`, under a key derived from the server
 * key, so any server process can check it and nothing needs cleaning up.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const SIGNED_DOC_URL_LIFETIME_SECONDS = 120;

export interface SignedDocumentLinks {
  /** The token for `requestId`, valid until `expSeconds`. */
  create(requestId: string, expSeconds: number): string;
  /** The request id a token names if its MAC is right and it has not expired at `nowMs`. */
  check(token: string, nowMs: number): string | undefined;
}

export function createSignedDocumentLinks(linkKey: Uint8Array): SignedDocumentLinks {
  const key = new Uint8Array(hkdfSync('sha256', linkKey, Buffer.alloc(0), 'countersign:singpass-signed-doc-url', 32));
  const mac = (requestId: string, expSeconds: number) =>
    createHmac('sha256', key).update(`${requestId}\n${expSeconds}`).digest();
  return {
    create: (requestId, expSeconds) => `${requestId}.${expSeconds}.${mac(requestId, expSeconds).toString('base64url')}`,
    check(token, nowMs) {
      const match = /^(signv3-[0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match) return undefined;
      const [, requestId, exp, given] = match as unknown as [string, string, string, string];
      const expected = mac(requestId, Number(exp));
      const presented = Buffer.from(given, 'base64url');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
      return Number(exp) * 1000 > nowMs ? requestId : undefined;
    },
  };
}
