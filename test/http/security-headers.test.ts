// Security headers on every answer, over real HTTP: successes and errors, native and every
// surface, the one HTML page (/docs, swagger-ui) with a CSP that still lets it render, and HSTS
// only when the public URL is https.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { call, startTestServer, type TestServer } from '../support/harness.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

function assertHardened(headers: Headers, what: string): void {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(headers.get('x-frame-options'), 'DENY', what);
  assert.match(headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, what);
  assert.equal(headers.get('strict-transport-security'), null, `${what}: no HSTS on an http public URL`);
}

test('API answers, successes and errors of every surface, carry nosniff, no-referrer, DENY and a CSP that loads nothing', async () => {
  const answers: [string, string, string, Record<string, string>?][] = [
    ['GET', '/healthz', 'health'],
    ['GET', '/openapi.json', 'OpenAPI document'],
    ['GET', '/v1/signature-requests', 'native 401'],
    ['GET', '/v1/no-such-thing', 'native 404'],
    ['GET', '/v1/signing/not-a-real-token-at-all', 'signing link 404'],
    ['GET', '/lumin/v1/signature_request/x', 'Lumin 401'],
    ['POST', '/lumin/oauth2/token', 'Lumin OAuth 400'],
    ['POST', '/singpass/api/v3/sign-requests/cancel', 'Singpass 400'],
    ['GET', '/singpass/.well-known/keys.json', 'Singpass JWKS'],
    ['GET', '/taktikal/api/signing/activity', 'Taktikal 401'],
    ['POST', '/kaizen/api/RecallSignRequest', 'KAiZEN', { 'content-type': 'application/json' }],
    ['GET', '/auco/v1.5/ext/company', 'Auco 401'],
    ['GET', '/nowhere', 'unknown path'],
  ];
  for (const [method, path, what, headers] of answers) {
    const response = await call(server.baseUrl, method, path, { ...(headers ? { headers, rawBody: '{}' } : {}) });
    assertHardened(response.headers, `${what} (${response.status})`);
    if (path !== '/docs') assert.match(response.headers.get('content-security-policy')!, /default-src 'none'/, what);
  }
});

test('/docs: its HTML has a strict CSP allowing only its own assets, and every asset it names is served', async () => {
  const page = await call(server.baseUrl, 'GET', '/docs');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type')!, /^text\/html/);
  assertHardened(page.headers, '/docs');
  const csp = page.headers.get('content-security-policy')!;
  for (const directive of [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ]) {
    assert.ok(csp.includes(directive), `${directive} in ${csp}`);
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const assets = [...String(page.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  assert.ok(
    assets.some((asset) => asset.endsWith('.js')) && assets.some((asset) => asset.endsWith('.css')),
    assets.join(' '),
  );
  for (const asset of [...assets, '/docs/json']) {
    const response = await fetch(new URL(asset, `${server.baseUrl}/docs`));
    assert.equal(response.status, 200, asset);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', asset);
    await response.arrayBuffer();
  }
});

// Debian's chromium (.ci/run installs it): the page must still render under its CSP.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
test(
  '/docs renders in headless Chromium under its CSP (the operations are listed)',
  { skip: chromium ? false : 'chromium is not installed' },
  async () => {
    const profile = mkdtempSync(join(tmpdir(), 'countersign-chromium-'));
    try {
      // Asynchronously: the server answering the browser runs in this process.
      const { stdout } = await promisify(execFile)(
        chromium!,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${profile}`,
          '--virtual-time-budget=10000',
          '--dump-dom',
          `${server.baseUrl}/docs`,
        ],
        { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      );
      assert.match(stdout, /class="title">Countersign native API/);
      assert.match(stdout, /data-path="\/v1\/signature-requests\/\{id\}\/cancel"/);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  },
);

test('HSTS is sent when the public URL is https, without includeSubDomains', async (t) => {
  const behindTls = await startTestServer({ publicUrl: 'https://sign.example.com' });
  t.after(() => behindTls.close());
  const response = await call(behindTls.baseUrl, 'GET', '/healthz');
  assert.equal(response.headers.get('strict-transport-security'), 'max-age=15552000');
});
