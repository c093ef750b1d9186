/**
 * `node --import tsx bench/messaging.ts`: what a writer thread behind the event loop would pay per
 * call in messaging alone. 50 calls in flight post a cancel's input to a worker thread, which
 * answers with a cancel's result (structured clone both ways); prints wall time and CPU per round
 * trip (CPU of both threads). Figures in BENCHMARKS.md.
 */
import { Worker } from 'node:worker_threads';

const CALLS = 50_000;
const IN_FLIGHT = 50;

const input = {
  tenantId: 'ten_01JXXXXXXXXXXXXXXXXXXXXXXX',
  requestId: 'sr_01JXXXXXXXXXXXXXXXXXXXXXXX',
  reason: 'bench',
  message: null,
  reasonCode: null,
  notify: 'pending',
  context: {
    actor: { type: 'api_key', id: 'key_x', display: 'key_x' },
    surface: 'v1',
    ip: '127.0.0.1',
    userAgent: 'autocannon',
  },
};
const result = {
  request: {
    id: 'sr_01JXXXXXXXXXXXXXXXXXXXXXXX',
    tenantId: 'ten_01JXXXXXXXXXXXXXXXXXXXXXXX',
    title: 'Agreement',
    status: 'cancelled',
    ownerEmail: 'owner@example.com',
    message: null,
    sequenceId: null,
    createdAt: 1,
    updatedAt: 2,
    expiresAt: 3,
    completedAt: null,
    version: 2,
    origin: 'v1',
    document: {
      id: 'doc_01JXXXXXXXXXXXXXXXXXXXXXXX',
      filename: 'a.pdf',
      size: 1234,
      sha256: 'a'.repeat(64),
      pageCount: 1,
      purgedAt: null,
    },
    signers: [
      {
        id: 'sgr_01JXXXXXXXXXXXXXXXXXXXXXXX',
        requestId: 'sr_x',
        name: 'Ann',
        email: 'ann@example.com',
        order: 1,
        status: 'notified',
        signedAt: null,
        declinedAt: null,
        declineReason: null,
        viewedAt: null,
      },
    ],
    cancellation: {
      cancelledAt: 2,
      actor: { type: 'api_key', id: 'key_x' },
      reason: 'bench',
      message: null,
      reasonCode: null,
      notify: 'pending',
    },
    aliases: {},
  },
  cancelledIds: ['sr_x'],
  notified: [{ requestId: 'sr_x', signerId: 'sgr_x', name: 'Ann', email: 'ann@example.com' }],
};

// The echoing thread, as plain CommonJS (it needs no TypeScript loader).
const worker = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  parentPort.on('message', (message) => parentPort.postMessage({ id: message.id, result: workerData.result }));
`,
  { eval: true, workerData: { result } },
);

const pending = new Map<number, () => void>();
worker.on('message', (message: { id: number }) => {
  pending.get(message.id)?.();
  pending.delete(message.id);
});
let sent = 0;
const call = () =>
  new Promise<void>((resolve) => {
    const id = (sent += 1);
    pending.set(id, resolve);
    worker.postMessage({ id, payload: input });
  });

const cpuBefore = process.cpuUsage();
const started = performance.now();
let startedCalls = 0;
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    while (startedCalls < CALLS) {
      startedCalls += 1;
      await call();
    }
  }),
);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    bench: 'messaging',
    node: process.version,
    calls: CALLS,
    in_flight: IN_FLIGHT,
    wall_us_per_round_trip: Number(((wallMs * 1000) / CALLS).toFixed(1)),
    cpu_us_per_round_trip_both_threads: Number(((cpu.user + cpu.system) / CALLS).toFixed(1)),
  }),
);
await worker.terminate();
