/**
 * `npm run bench`: single-cancel throughput and p99 next to a bare one-UPDATE endpoint of the same
 * server, measured in the same run, and the time of one 10,000-id batch cancel. Ratios are what
 * count: the machine is shared and noisy. Loopback only, bounded request counts.
 *
 * The server runs as a child process (`countersign serve`, worker off so only the API is measured);
 * autocannon generates load from this process.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createTenantWithCredentials } from '../src/providers/create-tenant-with-credentials.js';
import { createCoreDeps, createSurfaceContext } from '../src/main.js';
import { openStore } from '../src/storage/open-store.js';
import { startChildServer } from '../test/support/child-server.js';
import { cpuMsOf } from './process-cpu.js';
import { seedRequests } from '../test/support/seed.js';

/** Each measured run lasts this long; enough requests are seeded that every cancel hits a fresh one. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CANCELS = Number(process.env.BENCH_CANCELS ?? 80_000);
const CONNECTIONS = 50;

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** The server's CPU (all its threads) per request, in µs: steadier than req/s when the machine is shared. */
  serverCpuUsPerRequest: number | null;
}

/** A fixed-length run over `paths` in rotation (autocannon ends on whole-second ticks, so runs are long). */
async function load(
  url: string,
  serverPid: number | undefined,
  paths: string[],
  headers: Record<string, string>,
  body: string,
  seconds = SECONDS,
): Promise<LoadResult> {
  let next = 0;
  const cpuBefore = cpuMsOf(serverPid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    requests: [
      { setupRequest: (request: Record<string, unknown>) => ({ ...request, path: paths[next++ % paths.length] }) },
    ],
  });
  const cpuAfter = cpuMsOf(serverPid);
  if (headers.authorization && next > paths.length)
    throw new Error(`ran out of fresh requests (${paths.length}); raise BENCH_CANCELS`);
  return {
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
    serverCpuUsPerRequest:
      cpuBefore === null || cpuAfter === null
        ? null
        : Math.round(((cpuAfter - cpuBefore) * 1000) / result.requests.total),
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-bench-'));
  const config = loadConfig({}, { dataDir, logLevel: 'silent' });
  // Seed before the server starts: tenants, keys and pending requests, through the real repository.
  const store = openStore(config);
  const deps = createCoreDeps(config, store);
  const context = createSurfaceContext(config, deps);
  const single = await createTenantWithCredentials(context, 'Bench single');
  const batch = await createTenantWithCredentials(context, 'Bench batch');
  const cancelIds: string[] = [];
  for (let seeded = 0; seeded < CANCELS; seeded += 10_000)
    cancelIds.push(...(await seedRequests(deps, single.tenantId, Math.min(10_000, CANCELS - seeded))));
  const bareIds = cancelIds;
  const batchIds = await seedRequests(deps, batch.tenantId, 10_000);
  await store.close();

  const server = await startChildServer(dataDir, { COUNTERSIGN_BENCH_ROUTES: '1', COUNTERSIGN_WORKER: '0' });
  try {
    // Warm up both paths (JIT, statement caches) on ids outside the measured sets.
    await load(
      server.baseUrl,
      server.process.pid,
      bareIds.slice(0, 2_000).map((id) => `/bench/bare-update/${id}`),
      {},
      '{}',
      2,
    );
    const bare = await load(
      server.baseUrl,
      server.process.pid,
      bareIds.map((id) => `/bench/bare-update/${id}`),
      {},
      '{}',
    );
    const cancel = await load(
      server.baseUrl,
      server.process.pid,
      cancelIds.map((id) => `/v1/signature-requests/${id}/cancel`),
      { authorization: `Bearer ${single.apiKey}` },
      '{"reason":"bench","notify":"pending"}',
    );

    const started = performance.now();
    const response = await fetch(`${server.baseUrl}/v1/signature-requests/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${batch.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: batchIds, reason: 'bench batch' }),
    });
    const summary = (await response.json()) as { cancelled: number };
    const batchMs = Math.round(performance.now() - started);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cancels: CANCELS,
      connections: CONNECTIONS,
      bare,
      cancel,
      ratio: Number((cancel.requestsPerSecond / bare.requestsPerSecond).toFixed(2)),
      cpuRatio:
        bare.serverCpuUsPerRequest && cancel.serverCpuUsPerRequest
          ? Number((bare.serverCpuUsPerRequest / cancel.serverCpuUsPerRequest).toFixed(2))
          : null,
      batch: { ids: batchIds.length, cancelled: summary.cancelled, status: response.status, ms: batchMs },
    };
    mkdirSync('.bench', { recursive: true });
    writeFileSync('.bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
    console.log('| measurement | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/request |');
    console.log('|---|---|---|---|---|---|');
    console.log(
      `| bare endpoint, one SQLite UPDATE | ${bare.requestsPerSecond} | ${bare.p50} | ${bare.p99} | ${bare.non2xx} | ${bare.serverCpuUsPerRequest ?? 'n/a'} |`,
    );
    console.log(
      `| POST /v1/signature-requests/{id}/cancel | ${cancel.requestsPerSecond} | ${cancel.p50} | ${cancel.p99} | ${cancel.non2xx} | ${cancel.serverCpuUsPerRequest ?? 'n/a'} |`,
    );
    console.log(`\ncancel / bare throughput: ${results.ratio} (target >= 0.5)`);
    console.log(
      `bare / cancel server CPU per request: ${results.cpuRatio ?? 'n/a'} (what the throughput ratio tends to when the server, not the load generator, is the limit)`,
    );
    console.log(
      `batch cancel of ${batchIds.length} ids: ${batchMs} ms, ${summary.cancelled} cancelled, HTTP ${response.status} (target < 500 ms)`,
    );
    if (cancel.non2xx > 0 || bare.non2xx > 0 || response.status !== 200) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
