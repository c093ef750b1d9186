import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { createConnectionPool } from '../../src/delivery/connection-pool.js';
import { postWebhook } from '../../src/delivery/outbound-http.js';

// A receiver that counts the TCP connections it accepts.
let connections = 0;
let bigAnswerSocket: Socket | undefined;
const receiver = createServer((request, reply) => {
  request.resume();
  request.on('end', () => {
    if (request.url === '/big') {
      bigAnswerSocket = request.socket;
      void streamEndlessly(reply);
    } else reply.writeHead(204).end();
  });
});
receiver.on('connection', () => (connections += 1));
let url = '';

/** Writes until the client hangs up (bounded at 256 MiB), respecting backpressure. */
async function streamEndlessly(reply: import('node:http').ServerResponse): Promise<void> {
  reply.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  for (let written = 0; written < 256 * 1024 * 1024 && !reply.destroyed; written += chunk.length) {
    if (!reply.write(chunk)) await Promise.race([once(reply, 'drain'), once(reply, 'close')]);
  }
  reply.end();
}
before(async () => {
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
after(() => {
  receiver.closeAllConnections();
  receiver.close();
});

test('pooled posts to one origin reuse keep-alive connections; unpooled posts do not', async () => {
  const pool = createConnectionPool();
  const start = connections;
  for (let post = 0; post < 10; post += 1)
    assert.equal((await postWebhook({ url: `${url}/hook`, body: '{}', allowPrivateNetworks: true, pool })).ok, true);
  // undici may open a second socket before the first is back in the pool; never one per post.
  const pooled = connections - start;
  assert.ok(pooled >= 1 && pooled <= 2, `${pooled} connections for 10 pooled posts`);
  for (let post = 0; post < 3; post += 1)
    assert.equal((await postWebhook({ url: `${url}/hook`, body: '{}', allowPrivateNetworks: true })).ok, true);
  assert.equal(connections - start - pooled, 3);
  await pool.close();
});

test(
  'an answer still streaming past the cap closes the pooled connection instead of returning it',
  { timeout: 5_000 },
  async () => {
    const pool = createConnectionPool();
    const big = await postWebhook({
      url: `${url}/big`,
      body: '{}',
      allowPrivateNetworks: true,
      pool,
      maxResponseBytes: 100,
    });
    assert.equal(big.responseSnippet.length, 100);
    assert.ok(bigAnswerSocket);
    // The client hung up (a reset, as it should: it stopped reading); the test's timeout bounds the wait.
    const socket = bigAnswerSocket;
    if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
    assert.equal(
      (await postWebhook({ url: `${url}/hook`, body: '{}', allowPrivateNetworks: true, pool })).ok,
      true,
      'the pool opens a fresh one',
    );
    await pool.close();
  },
);

test('an agent is shared only for the same origin and the same checked addresses', async () => {
  const pool = createConnectionPool();
  const origin = new URL('https://receiver.example/a');
  const first = pool.agentFor(origin, [{ address: '93.184.215.14', family: 4 }], 10_000);
  assert.equal(
    pool.agentFor(new URL('https://receiver.example/b'), [{ address: '93.184.215.14', family: 4 }], 10_000),
    first,
  );
  assert.notEqual(
    pool.agentFor(origin, [{ address: '93.184.215.15', family: 4 }], 10_000),
    first,
    'a new DNS answer gets a new pinned agent',
  );
  assert.notEqual(
    pool.agentFor(new URL('https://other.example/a'), [{ address: '93.184.215.14', family: 4 }], 10_000),
    first,
  );
  await pool.close();
});
