/**
 * Helpers for the Singpass surface tests: a relying party (RP) with real ES256 keys (jose), its
 * JWKS served over real HTTP on 127.0.0.1, registered with a real Countersign test server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { registerSingpassClient } from '../../src/providers/singpass/client-registration.js';
import { createSingpassStore } from '../../src/providers/singpass/singpass-store.js';
import { call, makePdf, type TestServer } from '../support/harness.js';

export const MOUNT = '/singpass/api/v3';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'ES256' } };
}

export interface JwksServer {
  url: string;
  state: { keys: JWK[]; hits: number };
  close(): Promise<void>;
}

/** The RP's JWKS endpoint: a real HTTP server on 127.0.0.1 whose keys the test can change. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const state = { keys, hits: 0 };
  const server: Server = createServer((_request, response) => {
    state.hits += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TokenOptions {
  key?: SigningKey;
  kid?: string;
  iat?: number;
  exp?: number | null;
  header?: Record<string, unknown>;
}

/** A relying party registered with the server: signs its tokens and calls the surface. */
export class RelyingParty {
  constructor(
    readonly server: TestServer,
    readonly clientId: string,
    public key: SigningKey,
  ) {}

  nowSeconds(): number {
    return Math.floor(this.server.clock.now() / 1000);
  }

  async token(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.key;
    const iat = options.iat ?? this.nowSeconds();
    const jwt = new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? key.kid, ...options.header })
      .setIssuedAt(iat);
    if (options.exp !== null) jwt.setExpirationTime(options.exp ?? iat + 120);
    return jwt.sign(key.privateKey);
  }

  initiateClaims(overrides: JWTPayload = {}): JWTPayload {
    return {
      client_id: this.clientId,
      doc_name: 'contract.pdf',
      x: 0.5,
      y: 0.5,
      page: 1,
      jti: randomUUID(),
      ...overrides,
    };
  }

  async initiate(
    options: { claims?: JWTPayload; body?: Uint8Array | string; contentType?: string; authorization?: string } = {},
  ) {
    const body = options.body ?? (await makePdf());
    const authorization = options.authorization ?? (await this.token(this.initiateClaims(options.claims)));
    return call(this.server.baseUrl, 'POST', `${MOUNT}/sign-requests`, {
      rawBody: body,
      headers: { 'content-type': options.contentType ?? 'application/octet-stream', authorization },
    });
  }

  /** Initiates and returns the 200 body, failing loudly otherwise. */
  async createRequest(
    claims: JWTPayload = {},
  ): Promise<{ request_id: string; signing_url: string; exchange_code: string }> {
    const response = await this.initiate({ claims });
    if (response.status !== 200)
      throw new Error(`initiate failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async signedDoc(
    requestId: string,
    exchangeCode: string,
    options: { spelling?: 'signed-doc' | 'signed_doc'; authorization?: string } = {},
  ) {
    const authorization =
      options.authorization ?? (await this.token({ exchange_code: exchangeCode, jti: randomUUID() }));
    return call(this.server.baseUrl, 'GET', `${MOUNT}/sign-requests/${requestId}/${options.spelling ?? 'signed-doc'}`, {
      headers: { 'content-type': 'application/json', authorization },
    });
  }

  async cancel(requestId: string, authorization?: string) {
    return call(this.server.baseUrl, 'POST', `${MOUNT}/sign-requests/cancel`, {
      headers: {
        'content-type': 'application/json',
        authorization: authorization ?? (await this.token({ client_id: this.clientId, request_id: requestId })),
      },
    });
  }
}

/** Registers `clientId` for `tenantId`, its JWKS on a loopback URL (allowed explicitly, as the operator would). */
export async function registerClient(server: TestServer, tenantId: string, clientId: string, jwksUrl: string) {
  const context = server.app.surfaceContext;
  return registerSingpassClient(context.deps, createSingpassStore(context), {
    tenantId,
    clientId,
    jwksUrl,
    allowPrivateJwksUrl: true,
  });
}

/** A tenant with a registered RP whose JWKS server publishes one key. */
export async function setUpRelyingParty(
  server: TestServer,
  clientId = `rp-${randomUUID().slice(0, 8)}`,
  tenantId?: string,
) {
  const key = await createSigningKey(`key-${randomUUID().slice(0, 8)}`);
  const jwks = await startJwksServer([key.publicJwk]);
  const tenant = tenantId ? undefined : await server.createTenant();
  const owner = tenantId ?? tenant!.tenantId;
  await registerClient(server, owner, clientId, jwks.url);
  return { rp: new RelyingParty(server, clientId, key), jwks, tenantId: owner, apiKey: tenant?.apiKey };
}

/** "Proceed to Sign" and signing, through the native signing link the surface returned. */
export async function proceedToSign(server: TestServer, signingUrl: string) {
  return call(server.baseUrl, 'POST', `${new URL(signingUrl).pathname}/start`);
}
export async function sign(server: TestServer, signingUrl: string) {
  return call(server.baseUrl, 'POST', `${new URL(signingUrl).pathname}/sign`, {
    body: { signature: { type: 'typed', text: 'Tan Ah Kow' } },
  });
}

export const UNAUTHORIZED = { error: 'UNAUTHORIZED', error_description: 'Unauthorized.' };
export const NO_RECORD = { error: 'CLIENT_SIDE_ERROR', error_description: 'No record found' };
