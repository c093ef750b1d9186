/**
 * `npm run bench` (last part): the time and CPU to seal a completed 20-page document: three
 * signatures stamped (typed, drawn, placed), the completion certificate, the PAdES B-B seal.
 * In-process, one document at a time; the median of RUNS after WARMUP unmeasured runs (the first
 * seals pay for JIT compilation and font parsing). Target: under 150 ms.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSealingIdentity, sealCompletedDocument, type SignaturePlacement } from '../src/documents/pdf.js';
import { makeContract } from '../test/documents/support/pdf-tools.js';
import { SIGNED_AT, drawnSignaturePng, evidenceOf, sha256Hex } from '../test/documents/support/signature-fixtures.js';

const RUNS = Number(process.env.BENCH_SEAL_RUNS ?? 15);
const WARMUP = 3;
const TARGET_MS = 150;

const dataDir = mkdtempSync(join(tmpdir(), 'countersign-bench-seal-'));
try {
  const identity = await loadSealingIdentity({
    dataDir,
    keyEncryptionKey: randomBytes(32),
    publicUrl: 'https://bench.example',
  });
  const original = await makeContract(20);
  const placements: SignaturePlacement[] = [
    { name: 'Zoë Łukasiewicz', signedAt: SIGNED_AT, signature: { type: 'typed', text: 'Zoë Łukasiewicz' } },
    { name: 'Ann Ødegård', signedAt: SIGNED_AT, signature: { type: 'drawn', imagePng: drawnSignaturePng() } },
    {
      name: 'Singpass user',
      signedAt: SIGNED_AT,
      signature: { type: 'typed', text: 'S. User' },
      position: { page: 20, x: 0.55, y: 0.85 },
    },
  ];
  const facts = {
    requestId: 'sr_01jf0000000000000000000000',
    title: 'Master services agreement',
    documentSha256: sha256Hex(original),
    signers: evidenceOf(placements),
    completedAt: SIGNED_AT,
    auditChainHash: sha256Hex('audit'),
    sealedAt: SIGNED_AT,
  };
  const wall: number[] = [];
  const cpu: number[] = [];
  let size = 0;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const sealed = await sealCompletedDocument(original, { placements, facts }, { identity });
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpuBefore);
    size = sealed.byteLength;
    if (run < WARMUP) continue;
    wall.push(elapsed);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const medianWall = median(wall);
  console.log(
    `\nSeal a completed 20-page document (3 signatures, certificate, PAdES B-B), ${RUNS} runs after ${WARMUP} warm-up:`,
  );
  console.log(
    `  median ${medianWall.toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (min ${Math.min(...wall).toFixed(1)}, max ${Math.max(...wall).toFixed(1)} ms wall); ` +
      `${(original.byteLength / 1024).toFixed(0)} KB in, ${(size / 1024).toFixed(0)} KB out`,
  );
  console.log(`  target: under ${TARGET_MS} ms: ${medianWall < TARGET_MS ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
