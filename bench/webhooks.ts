/**
 * Webhook throughput: `node --import tsx bench/webhooks.ts`. A server with its outbox worker runs as
 * a child process (`countersign serve`); this process seeds 10,000 pending requests, subscribes one
 * native endpoint (a node:http receiver here) to signature_request.cancelled, cancels all of them in
 * one batch call, and measures how long it takes until every cancellation webhook has arrived
 * (target: under 10 s), sampling the outbox lag (age of the oldest due pending row) meanwhile.
 * Prints one JSON line. Loopback only; one batch call, one registration, bounded waits.
 *
 * BENCH_REQUESTS (default 10000); BENCH_NOTIFY (none | pending, default none); BENCH_RETENTION
 * (later | purge | retain, default later = purge after 30 days, so the document rows are not due
 * during the run: purge and retain put 10,000 purges or VOID-stamped copies into the same worker).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { createTenantWithCredentials } from '../src/providers/create-tenant-with-credentials.js';
import { createCoreDeps, createSurfaceContext } from '../src/main.js';
import { databasePath, openStore } from '../src/storage/open-store.js';
import { startChildServer } from '../test/support/child-server.js';
import { cpuMsOf } from './process-cpu.js';
import { seedRequests } from '../test/support/seed.js';

const REQUESTS = Math.min(10_000, Number(process.env.BENCH_REQUESTS ?? 10_000));
const RETENTION =
  process.env.BENCH_RETENTION === 'retain' || process.env.BENCH_RETENTION === 'purge'
    ? process.env.BENCH_RETENTION
    : 'later';
const NOTIFY = process.env.BENCH_NOTIFY === 'pending' ? 'pending' : 'none';
const TARGET_MS = 10_000;
const GIVE_UP_MS = 120_000;
const SAMPLE_EVERY_MS = 100;

/** Counts distinct cancellation event ids; records when the last one arrived. */
async function startCountingReceiver(expected: number) {
  const eventIds = new Set<string>();
  let received = 0;
  let completeAt: number | undefined;
  let onComplete: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (onComplete = resolve));
  const server = createServer((request, reply) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; type: string };
      if (body.type === 'signature_request.cancelled') eventIds.add(body.id);
      if (eventIds.size === expected && completeAt === undefined) {
        completeAt = performance.now();
        onComplete?.();
      }
      reply.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    done,
    stats: () => ({ received, distinct: eventIds.size, completeAt }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-bench-webhooks-'));
  const config = loadConfig({}, { dataDir, logLevel: 'silent' });
  const store = openStore(config);
  const deps = createCoreDeps(config, store);
  const tenant = await createTenantWithCredentials(createSurfaceContext(config, deps), 'Bench webhooks');
  const ids = await seedRequests(deps, tenant.tenantId, REQUESTS);
  await store.close();

  const receiver = await startCountingReceiver(REQUESTS);
  const server = await startChildServer(dataDir, { COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS: '1' });
  // A second connection, read-only, for sampling: it never takes the server's write lock.
  const sampler = new Database(databasePath(config), { readonly: true });
  const oldestDue = sampler.prepare(
    "SELECT MIN(created_at) AS oldest, COUNT(*) AS pending FROM outbox WHERE status = 'pending' AND available_at <= ?",
  );
  const headers = { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' };
  try {
    const registered = await fetch(`${server.baseUrl}/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: receiver.url, events: ['signature_request.cancelled'] }),
    });
    if (registered.status !== 201)
      throw new Error(`registration failed: ${registered.status} ${await registered.text()}`);

    const lags: number[] = [];
    let maxPending = 0;
    const sampling = setInterval(() => {
      const now = Date.now();
      const { oldest, pending } = oldestDue.get(now) as { oldest: number | null; pending: number };
      lags.push(oldest === null ? 0 : now - oldest);
      maxPending = Math.max(maxPending, pending);
    }, SAMPLE_EVERY_MS);

    const serverCpuBefore = cpuMsOf(server.process.pid);
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}/v1/signature-requests/cancel`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        ids,
        reason: 'bench',
        notify: NOTIFY,
        retention: RETENTION === 'later' ? { mode: 'purge_after', days: 30 } : RETENTION,
      }),
    });
    const batch = (await response.json()) as { cancelled?: number };
    const batchMs = Math.round(performance.now() - started);
    const timedOut = await Promise.race([
      receiver.done.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), GIVE_UP_MS).unref()),
    ]);
    clearInterval(sampling);
    const serverCpuBeforeEnd = cpuMsOf(server.process.pid);
    const serverCpuMs =
      serverCpuBefore === null || serverCpuBeforeEnd === null ? null : serverCpuBeforeEnd - serverCpuBefore;
    const stats = receiver.stats();
    const allDeliveredMs = stats.completeAt === undefined ? null : Math.round(stats.completeAt - started);
    const sortedLags = [...lags].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: 'webhooks',
        node: process.version,
        requests: REQUESTS,
        retention: RETENTION,
        notify: NOTIFY,
        batch_cancel: { status: response.status, cancelled: batch.cancelled ?? null, ms: batchMs },
        webhooks: {
          received: stats.received,
          distinct_events: stats.distinct,
          duplicates: stats.received - stats.distinct,
          timed_out: timedOut,
        },
        all_delivered_ms: allDeliveredMs,
        target_ms: TARGET_MS,
        met_target: allDeliveredMs !== null && allDeliveredMs < TARGET_MS,
        deliveries_per_second: allDeliveredMs ? Math.round((REQUESTS / allDeliveredMs) * 1000) : null,
        outbox_lag_ms: {
          samples: lags.length,
          p50: percentile(sortedLags, 50),
          p95: percentile(sortedLags, 95),
          max: sortedLags.at(-1) ?? 0,
        },
        outbox_max_due_rows: maxPending,
        // Less noisy than wall time on a shared machine: the server's own CPU for the whole run.
        server_cpu_ms: serverCpuMs,
        server_cpu_ms_per_webhook: serverCpuMs === null ? null : Number((serverCpuMs / REQUESTS).toFixed(3)),
      }),
    );
    if (timedOut || response.status !== 200) process.exitCode = 1;
  } finally {
    sampler.close();
    await server.stop();
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
