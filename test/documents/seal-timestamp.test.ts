// PAdES B-T: the seal's signature timestamped by an RFC 3161 TSA, here a local one (`openssl ts
// -reply` behind node:http, test/documents/support/local-tsa.ts), and verified with `openssl ts -verify`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SealingError, loadSealingIdentity, sealPdf, type SealingIdentity } from '../../src/documents/pdf.js';
import { startLocalTsa, type LocalTsa } from './support/local-tsa.js';
import {
  assertQpdfClean,
  assertSealedValid,
  makeContract,
  printSignatureCms,
  runTool,
  savePdf,
} from './support/pdf-tools.js';

const SIGNATURE_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.14';
let directory = '';
let identity: SealingIdentity;
const tsas: LocalTsa[] = [];

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-tsa-'));
  identity = await loadSealingIdentity({
    dataDir: join(directory, 'data'),
    keyEncryptionKey: randomBytes(32),
    publicUrl: 'http://127.0.0.1:8080',
  });
});
after(async () => {
  await Promise.all(tsas.map((tsa) => tsa.close()));
  await rm(directory, { recursive: true, force: true });
});

async function tsa(behaviour: Parameters<typeof startLocalTsa>[1]): Promise<LocalTsa> {
  const started = await startLocalTsa(directory, behaviour);
  tsas.push(started);
  return started;
}

/** The seal's signature value and the timestamp token among its unsigned attributes. */
function signatureAndToken(sealed: Uint8Array): { signature: Uint8Array; token: Uint8Array | null } {
  const text = Buffer.from(sealed).toString('latin1');
  const range = /\[\s*(\d+)\s+(\d+)\s+(\d+)/.exec(text.slice(text.lastIndexOf('/ByteRange')))!;
  const der = Buffer.from(text.slice(Number(range[2]) + 1, Number(range[3]) - 1), 'hex');
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(der).content });
  const signerInfo = signedData.signerInfos[0]!;
  const attribute = signerInfo.unsignedAttrs?.attributes.find(
    (candidate) => candidate.type === SIGNATURE_TIMESTAMP_OID,
  );
  const token = attribute ? new Uint8Array((attribute.values[0] as asn1js.Sequence).toBER(false)) : null;
  return { signature: new Uint8Array(signerInfo.signature.getValue()), token };
}

test('B-T: with a TSA URL the seal carries an RFC 3161 timestamp over its signature, which openssl verifies', async () => {
  const authority = await tsa('answer');
  const sealed = await sealPdf(await makeContract(2), identity, { tsaUrl: authority.url });
  const path = await savePdf(directory, 'b-t.pdf', sealed);

  await assertSealedValid(path);
  await assertQpdfClean(path);
  assert.equal(authority.requests, 1);
  assert.match(await printSignatureCms(directory, sealed), /id-smime-aa-timeStampToken/);

  const { signature, token } = signatureAndToken(sealed);
  assert.ok(token, 'a signature-time-stamp attribute');
  const tokenPath = join(directory, 'token.der');
  await writeFile(tokenPath, token);
  const digest = createHash('sha256').update(signature).digest('hex');
  const verified = await runTool('openssl', [
    ...['ts', '-verify', '-token_in', '-in', tokenPath, '-digest', digest],
    ...['-CAfile', authority.certificatePath, '-untrusted', authority.certificatePath],
  ]);
  assert.match(verified.stdout, /Verification: OK/, verified.stderr);
});

test('B-B without a TSA URL: no timestamp, nothing asked', async () => {
  const sealed = await sealPdf(await makeContract(1), identity);
  await assertSealedValid(await savePdf(directory, 'b-b.pdf', sealed));
  assert.equal(signatureAndToken(sealed).token, null);
});

test('a TSA that fails, is unreachable, or stamps another digest: a clear timestamp_failed, no document', async () => {
  const contract = await makeContract(1);
  const failing = await tsa('error');
  const wrong = await tsa('wrong-digest');
  const closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const cases: Array<[string, RegExp]> = [
    [failing.url, /HTTP 500/],
    [wrong.url, /another digest/],
    [`http://127.0.0.1:${closedPort}/tsr`, /gave no timestamp/],
  ];
  for (const [url, message] of cases) {
    await assert.rejects(sealPdf(contract, identity, { tsaUrl: url, tsaTimeoutMs: 5000 }), (error: unknown) => {
      assert.ok(error instanceof SealingError, String(error));
      assert.equal(error.reason, 'timestamp_failed');
      assert.match(error.message, message);
      assert.ok(error.message.includes(url), 'the message names the TSA');
      return true;
    });
  }
});
