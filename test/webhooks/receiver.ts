/**
 * A real webhook receiver: a node:http server on 127.0.0.1 that records every request (headers and
 * raw body) and answers the way the test tells it to (a status, a delay, a redirect).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How to answer one request; called for each in turn. */
export type Responder = (request: ReceivedWebhook, reply: ServerResponse) => void;

export interface Receiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  respondWith(responder: Responder): void;
  /** Resolves once at least `count` requests arrived (polling; fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export const answer =
  (status: number, body = ''): Responder =>
  (_request, reply) => {
    reply.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  };

export async function startReceiver(responder: Responder = answer(200, 'ok')): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  let current = responder;
  const server = createServer((request, reply) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      current(entry, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respondWith(next) {
      current = next;
    },
    async waitFor(count, timeoutMs = 30_000) {
      await until(
        () => received.length >= count,
        timeoutMs,
        () => `expected ${count} webhooks, got ${received.length}`,
      );
      return received;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `condition` every 20 ms; throws `describe()` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  describe = () => 'condition not met',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
