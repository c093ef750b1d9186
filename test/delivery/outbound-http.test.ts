import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkWebhookUrl, isPublicAddress, postWebhook, type ResolveHost } from '../../src/delivery/outbound-http.js';

// A real receiver on 127.0.0.1. Only loopback ever receives traffic from these tests: every case
// that names another address runs under the connection guard below, which fails instead of connecting.

interface Received {
  path: string;
  host: string | undefined;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

const HUGE_TOTAL_BYTES = 64 * 1024 * 1024;
const received: Received[] = [];
let hugeBytesWritten = 0;
let hugeClosedEarly = false;
let baseUrl = '';
let port = 0;

const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({
      path: req.url ?? '',
      host: req.headers.host,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
        return;
      case '/created':
        res.writeHead(201).end('created');
        return;
      case '/fail':
        res.writeHead(500).end('boom');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/target' }).end('moved');
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end('too late'), 3_000).unref();
        return;
      case '/huge':
        void streamHugeBody(res);
        return;
      default:
        res.writeHead(404).end('no such route');
    }
  });
});

/** Writes up to 64 MiB, respecting backpressure, and notes whether the client hung up first. */
async function streamHugeBody(res: http.ServerResponse): Promise<void> {
  hugeBytesWritten = 0;
  hugeClosedEarly = false;
  res.on('close', () => (hugeClosedEarly = !res.writableFinished));
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  while (hugeBytesWritten < HUGE_TOTAL_BYTES && !res.destroyed) {
    hugeBytesWritten += chunk.length;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

before(async () => {
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  port = (receiver.address() as net.AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
});

after(() => {
  receiver.closeAllConnections();
  receiver.close();
});

/** A broken deadline must fail the test, not hang the run. */
const BOUNDED = { timeout: 10_000 };

function hitsOn(path: string): number {
  return received.filter((entry) => entry.path === path).length;
}

/** Replaces net.connect / tls.connect (which undici calls) with a recorder that refuses to connect. */
async function withConnectionGuard<T>(run: () => Promise<T>): Promise<{ result: T; attempts: unknown[] }> {
  const attempts: unknown[] = [];
  const [originalNet, originalTls] = [net.connect, tls.connect];
  const refuse = (options: unknown) => {
    attempts.push(options);
    throw new Error('test guard: a connection was attempted');
  };
  net.connect = refuse as typeof net.connect;
  tls.connect = refuse as typeof tls.connect;
  try {
    return { result: await run(), attempts };
  } finally {
    net.connect = originalNet;
    tls.connect = originalTls;
  }
}

// ---- delivery against the real receiver ----

test('success: the exact body and headers arrive, and the answer is reported', BOUNDED, async () => {
  const body = JSON.stringify({ type: 'signature_request.cancelled', note: 'Þórður ✓' });
  const result = await postWebhook({
    url: `${baseUrl}/ok`,
    body,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'webhook-id': 'msg_1' },
    allowPrivateNetworks: true,
  });
  assert.equal(result.ok, true);
  assert.equal(result.status, 200);
  assert.equal(result.responseSnippet, 'thanks');
  assert.equal(result.error, undefined);
  assert.ok(result.durationMs >= 0 && result.durationMs < 5_000);
  const request = received.findLast((entry) => entry.path === '/ok');
  assert.equal(request?.body, body);
  assert.equal(request?.headers['webhook-id'], 'msg_1');
  assert.equal(request?.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(request?.rawHeaders.filter((name) => name.toLowerCase() === 'content-type').length, 1);
});

test('a 500 is a failed attempt with its status and body snippet', BOUNDED, async () => {
  const result = await postWebhook({ url: `${baseUrl}/fail`, body: '{}', allowPrivateNetworks: true });
  assert.equal(result.ok, false);
  assert.equal(result.status, 500);
  assert.equal(result.errorCode, 'http_status');
  assert.equal(result.responseSnippet, 'boom');
});

test('isSuccessStatus narrows success (Lumin and Taktikal accept only 200)', BOUNDED, async () => {
  const strict = await postWebhook({
    url: `${baseUrl}/created`,
    body: '{}',
    allowPrivateNetworks: true,
    isSuccessStatus: (status) => status === 200,
  });
  assert.equal(strict.ok, false);
  assert.equal(strict.status, 201);
  const lenient = await postWebhook({ url: `${baseUrl}/created`, body: '{}', allowPrivateNetworks: true });
  assert.equal(lenient.ok, true);
});

test('a redirect is not followed: failed attempt, status recorded, target never hit', BOUNDED, async () => {
  const result = await postWebhook({ url: `${baseUrl}/redirect`, body: '{}', allowPrivateNetworks: true });
  assert.equal(result.ok, false);
  assert.equal(result.status, 302);
  assert.equal(result.errorCode, 'redirect');
  assert.match(result.error ?? '', /\/target/);
  await sleep(100);
  assert.equal(hitsOn('/redirect'), 1);
  assert.equal(hitsOn('/target'), 0);
});

test('a slow receiver times out at the configured deadline', BOUNDED, async () => {
  const result = await postWebhook({ url: `${baseUrl}/slow`, body: '{}', allowPrivateNetworks: true, timeoutMs: 300 });
  assert.equal(result.ok, false);
  assert.equal(result.errorCode, 'timeout');
  assert.equal(result.status, undefined);
  assert.ok(result.durationMs >= 250 && result.durationMs < 2_000, `took ${result.durationMs} ms`);
});

test('a slow DNS answer counts against the same deadline', BOUNDED, async () => {
  const neverAnswers: ResolveHost = () => new Promise(() => undefined);
  const result = await postWebhook({
    url: 'http://hangs.test/',
    body: '{}',
    resolveHost: neverAnswers,
    timeoutMs: 200,
  });
  assert.equal(result.errorCode, 'timeout');
  assert.ok(result.durationMs < 2_000);
});

test('a huge response body is read only up to the cap, then the connection is dropped', BOUNDED, async () => {
  const result = await postWebhook({ url: `${baseUrl}/huge`, body: '{}', allowPrivateNetworks: true });
  assert.equal(result.ok, true);
  assert.equal(result.status, 200);
  assert.equal(result.responseSnippet, 'x'.repeat(16 * 1024));
  const smaller = await postWebhook({
    url: `${baseUrl}/huge`,
    body: '{}',
    allowPrivateNetworks: true,
    maxResponseBytes: 1_000,
  });
  assert.equal(smaller.responseSnippet.length, 1_000);
  await sleep(200);
  assert.equal(hugeClosedEarly, true, 'the receiver saw the client hang up before the end');
  assert.ok(hugeBytesWritten < HUGE_TOTAL_BYTES / 2, `receiver wrote ${hugeBytesWritten} bytes`);
});

test('connection refused (a closed port) is a result, not an exception', BOUNDED, async () => {
  const closed = net.createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const closedPort = (closed.address() as net.AddressInfo).port;
  closed.close();
  await once(closed, 'close');
  const result = await postWebhook({ url: `http://127.0.0.1:${closedPort}/`, body: '{}', allowPrivateNetworks: true });
  assert.equal(result.ok, false);
  assert.equal(result.errorCode, 'connection_failed');
  assert.equal(result.status, undefined);
  assert.match(result.error ?? '', /ECONNREFUSED/);
});

test(
  'the connection goes to the checked address: DNS is asked once, never again by the HTTP client',
  BOUNDED,
  async () => {
    const lookups: string[] = [];
    // A rebinding resolver: the first answer is the receiver, any later one points elsewhere.
    const rebinding: ResolveHost = async (hostname) => {
      lookups.push(hostname);
      return [{ address: lookups.length === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const result = await postWebhook({
      url: `http://receiver.rebind.test:${port}/ok`,
      body: '{"pinned":true}',
      allowPrivateNetworks: true,
      resolveHost: rebinding,
    });
    assert.equal(result.ok, true, result.error);
    assert.deepEqual(lookups, ['receiver.rebind.test']);
    const request = received.findLast((entry) => entry.body === '{"pinned":true}');
    assert.equal(
      request?.host,
      `receiver.rebind.test:${port}`,
      'the Host header keeps the name, only the socket is pinned',
    );
  },
);

// ---- refusals, with no traffic ----

test(
  'the connection guard does see the HTTP client connecting (so its silence below means something)',
  BOUNDED,
  async () => {
    const { result, attempts } = await withConnectionGuard(() =>
      postWebhook({ url: `${baseUrl}/ok`, body: '{}', allowPrivateNetworks: true }),
    );
    assert.equal(result.ok, false);
    assert.ok(attempts.length >= 1);
  },
);

test('loopback is refused without allowPrivateNetworks, and nothing is sent', BOUNDED, async () => {
  const before = received.length;
  for (const url of [
    `${baseUrl}/ok`,
    `http://localhost:${port}/ok`,
    `http://[::ffff:127.0.0.1]:${port}/ok`,
    `http://0x7f.1:${port}/ok`,
  ]) {
    const result = await postWebhook({ url, body: '{}' });
    assert.equal(result.ok, false, url);
    assert.equal(result.errorCode, 'blocked_address', url);
    assert.equal(result.status, undefined);
  }
  await sleep(50);
  assert.equal(received.length, before);
});

test(
  'the checker refuses metadata, private, loopback and unique-local addresses without any connection',
  BOUNDED,
  async () => {
    const refused = [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/hook',
      'https://192.168.1.10/hook',
      'http://172.16.0.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0:8080/',
      'http://224.0.0.1/',
      'http://[::1]/hook',
      'http://[::]/',
      'http://[fc00::1]/hook',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://[ff02::1]/',
      'http://[::ffff:10.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://[2002:a00:1::1]/',
    ];
    const { attempts } = await withConnectionGuard(async () => {
      for (const url of refused) {
        const check = await checkWebhookUrl(url);
        assert.equal(check.ok, false, url);
        assert.equal(check.ok ? undefined : check.error.code, 'blocked_address', url);
        const post = await postWebhook({ url, body: '{}' });
        assert.equal(post.errorCode, 'blocked_address', url);
      }
    });
    assert.deepEqual(attempts, []);
  },
);

test('a hostname is refused if any of its addresses is private (DNS simulated, nothing sent)', BOUNDED, async () => {
  const answers: Record<string, ResolveHost> = {
    internal: async () => [{ address: '10.0.0.7', family: 4 }],
    mixed: async () => [
      { address: '93.184.216.34', family: 4 },
      { address: 'fd00::7', family: 6 },
    ],
  };
  const { attempts } = await withConnectionGuard(async () => {
    for (const [name, resolveHost] of Object.entries(answers)) {
      const check = await checkWebhookUrl(`https://${name}.example/hook`, { resolveHost });
      assert.equal(check.ok ? 'accepted' : check.error.code, 'blocked_address', name);
      const post = await postWebhook({ url: `https://${name}.example/hook`, body: '{}', resolveHost });
      assert.equal(post.errorCode, 'blocked_address', name);
    }
  });
  assert.deepEqual(attempts, []);
});

test('the checker accepts public addresses, and private ones when allowPrivateNetworks is set', BOUNDED, async () => {
  const publicHost: ResolveHost = async () => [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ];
  const check = await checkWebhookUrl('https://hooks.example.com/countersign', { resolveHost: publicHost });
  assert.equal(check.ok, true);
  assert.equal(check.ok && check.addresses.length, 2);
  assert.equal((await checkWebhookUrl('http://10.1.2.3/hook', { allowPrivateNetworks: true })).ok, true);
  assert.equal((await checkWebhookUrl('http://[::1]:8080/', { allowPrivateNetworks: true })).ok, true);
});

test(
  'the checker refuses other schemes, malformed URLs and unresolvable hosts with typed errors',
  BOUNDED,
  async () => {
    const codeOf = async (url: string, resolveHost?: ResolveHost) => {
      const check = await checkWebhookUrl(url, { allowPrivateNetworks: true, ...(resolveHost ? { resolveHost } : {}) });
      return check.ok ? 'accepted' : check.error.code;
    };
    assert.equal(await codeOf('ftp://files.example.com/'), 'unsupported_scheme');
    assert.equal(await codeOf('file:///etc/passwd'), 'unsupported_scheme');
    assert.equal(await codeOf('javascript:alert(1)'), 'unsupported_scheme');
    assert.equal(await codeOf('not a url'), 'invalid_url');
    assert.equal(await codeOf('/relative/path'), 'invalid_url');
    assert.equal(
      await codeOf('https://user:secret@hooks.example.com/', async () => [{ address: '8.8.8.8', family: 4 }]),
      'invalid_url',
    );
    const notFound: ResolveHost = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    };
    assert.equal(await codeOf('https://nowhere.example/', notFound), 'unresolvable_host');
    assert.equal(await codeOf('https://empty.example/', async () => []), 'unresolvable_host');
  },
);

test('isPublicAddress: the address table', () => {
  for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
    assert.equal(isPublicAddress(address), true, address);
  }
  const notPublic = ['127.0.0.1', '127.255.255.254', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254'];
  notPublic.push('0.0.0.0', '255.255.255.255', '::1', '::', 'fc00::1', 'fe80::1%eth0', '::ffff:127.0.0.1', 'not-an-ip');
  for (const address of notPublic) {
    assert.equal(isPublicAddress(address), false, address);
  }
  assert.equal(isPublicAddress('172.32.0.1'), true, 'just outside 172.16.0.0/12');
});
