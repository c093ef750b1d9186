// Sealed documents checked with independent tools: pdfsig (poppler) must find the one seal valid
// and PAdES (ETSI.CAdES.detached), qpdf --check must find no error, pdftotext must find what the
// pages say. Debian: apt-get install -y poppler-utils qpdf openssl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadSealingIdentity,
  sealCompletedDocument,
  sealVoidCopy,
  type CancellationFacts,
  type CompletionFacts,
  type SealingIdentity,
  type SignaturePlacement,
} from '../../src/documents/pdf.js';
import {
  assertQpdfClean,
  assertSealedValid,
  compactPageText,
  imagesOn,
  makeContract,
  pageCount,
  pageText,
  pdfsig,
  printSignatureCms,
  savePdf,
} from './support/pdf-tools.js';
import { SIGNED_AT, drawnSignaturePng, evidenceOf, sha256Hex } from './support/signature-fixtures.js';

let directory = '';
let identity: SealingIdentity;

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-sealed-'));
  identity = await loadSealingIdentity({
    dataDir: join(directory, 'data'),
    keyEncryptionKey: randomBytes(32),
    publicUrl: 'https://sign.example.test',
  });
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

const THREE_SIGNERS: SignaturePlacement[] = [
  { name: 'Zoë Łukasiewicz-Nguyễn', signedAt: SIGNED_AT, signature: { type: 'typed', text: 'Zoë Łukasiewicz' } },
  {
    name: 'Ann Ødegård',
    signedAt: SIGNED_AT + 60_000,
    signature: { type: 'drawn', imagePng: `data:image/png;base64,${drawnSignaturePng().toString('base64')}` },
  },
  { name: 'Şahin Çelik', signedAt: SIGNED_AT + 120_000, signature: { type: 'typed', text: 'Ş. Çelik' } },
];

function completionFacts(original: Uint8Array, placements: readonly SignaturePlacement[]): CompletionFacts {
  return {
    requestId: 'sr_01jf0000000000000000000000',
    title: 'Mutual NDA – Acme × Zoë',
    documentSha256: sha256Hex(original),
    signers: evidenceOf(placements),
    completedAt: SIGNED_AT + 120_000,
    auditChainHash: sha256Hex('the last audit event'),
    sealedAt: SIGNED_AT + 121_000,
  };
}

function cancellationFacts(original: Uint8Array, placements: readonly SignaturePlacement[]): CancellationFacts {
  return {
    requestId: 'sr_01jf0000000000000000000001',
    title: 'Lease renewal',
    documentSha256: sha256Hex(original),
    cancelledBy: 'ann@acme.example',
    cancelledAt: SIGNED_AT + 300_000,
    reasonCode: 'wrong_document',
    message: 'A corrected version follows tomorrow.',
    notified: [
      { name: 'Bob Brown', email: 'bob@example.com' },
      { name: 'Carla Díaz', email: 'carla@example.com' },
    ],
    signers: evidenceOf(placements),
    auditChainHash: sha256Hex('after the cancel'),
    sealedAt: SIGNED_AT + 301_000,
  };
}

test('a completed document: each signature stamped, a certificate page, and one seal pdfsig finds valid and PAdES', async () => {
  const original = await makeContract(3);
  const facts = completionFacts(original, THREE_SIGNERS);
  const sealed = await sealCompletedDocument(original, { placements: THREE_SIGNERS, facts }, { identity });
  const path = await savePdf(directory, 'completed.pdf', sealed);

  const seal = await assertSealedValid(path);
  assert.equal(seal.commonName, 'sign.example.test');
  assert.equal(seal.fieldName, 'Countersign seal');
  await assertQpdfClean(path);
  // The original upload is the file's first revision, byte for byte: its hash on the certificate can be checked.
  assert.ok(Buffer.from(sealed.subarray(0, original.byteLength)).equals(Buffer.from(original)));

  assert.equal(await pageCount(path), 3 + 2, 'the contract, a signature page, the certificate');
  const signaturePage = await pageText(path, 4);
  assert.match(signaturePage, /Zoë Łukasiewicz/);
  for (const signer of THREE_SIGNERS)
    assert.ok(signaturePage.includes(signer.name), `${signer.name} on the signature page`);
  assert.deepEqual(
    (await imagesOn(path)).map(({ page, width, height }) => ({ page, width, height })),
    [{ page: 4, width: 300, height: 100 }],
    'the drawn signature is on the signature page',
  );

  const certificate = await pageText(path, 5);
  assert.match(certificate, /Completion certificate/);
  for (const signer of facts.signers) {
    for (const value of [signer.name, signer.email!, signer.ip!, signer.userAgent!]) {
      assert.ok(certificate.includes(value), `certificate shows ${value}`);
    }
  }
  for (const value of [facts.title, facts.documentSha256, facts.auditChainHash, '2026-12-07 10:17:00 UTC']) {
    assert.ok(certificate.includes(value), `certificate shows ${value}`);
  }

  // PAdES baseline: ESS signing-certificate-v2 present, no CMS signing-time (the time is in /M).
  const cms = await printSignatureCms(directory, sealed);
  assert.match(cms, /signingCertificateV2/);
  assert.doesNotMatch(cms, /signingTime/);
});

test('one changed byte in the signed range: pdfsig reports a digest mismatch', async () => {
  const original = await makeContract(2);
  const placements = THREE_SIGNERS.slice(0, 1);
  const sealed = await sealCompletedDocument(
    original,
    { placements, facts: completionFacts(original, placements) },
    { identity },
  );
  // Byte 10 is in the binary comment on the second line: the file still parses, with other bytes.
  const tampered = Buffer.from(sealed);
  assert.equal(tampered[9], 0x25, 'the second line is a comment');
  tampered[10] = tampered[10]! ^ 0x01;
  const [signature] = await pdfsig(await savePdf(directory, 'tampered.pdf', tampered));
  assert.equal(signature?.validation, 'Digest Mismatch.', signature?.raw);
  const [untouched] = await pdfsig(await savePdf(directory, 'untouched.pdf', sealed));
  assert.equal(untouched?.validation, 'Signature is Valid.');
});

test('a VOID copy: VOID on every page, the cancellation certificate, one valid PAdES seal', async () => {
  const original = await makeContract(3);
  const facts = cancellationFacts(original, []);
  const sealed = await sealVoidCopy(original, { placements: [], facts }, { identity });
  const path = await savePdf(directory, 'void.pdf', sealed);

  await assertSealedValid(path);
  await assertQpdfClean(path);
  const pages = await pageCount(path);
  assert.equal(pages, 3 + 1, 'the contract and the cancellation certificate');
  for (let page = 1; page <= pages; page++) {
    assert.match(await compactPageText(path, page), /VOID/, `VOID on page ${page}`);
  }
  const certificate = await pageText(path, pages);
  for (const value of [
    'cancellation certificate',
    facts.cancelledBy,
    '2026-12-07 10:20:00 UTC',
    'wrong_document',
    facts.message!,
    'Bob Brown <bob@example.com>',
    'Carla Díaz <carla@example.com>',
    'Nobody had signed.',
    facts.documentSha256,
  ]) {
    assert.ok(certificate.includes(value), `certificate shows ${value}`);
  }
});

test("the owner's copy of a partially signed request: its signatures, VOID on every page, the certificate, sealed", async () => {
  const original = await makeContract(2);
  const signedSoFar = THREE_SIGNERS.slice(0, 2);
  const facts = cancellationFacts(original, signedSoFar);
  const sealed = await sealVoidCopy(original, { placements: signedSoFar, facts }, { identity });
  const path = await savePdf(directory, 'owner-copy.pdf', sealed);

  await assertSealedValid(path);
  await assertQpdfClean(path);
  const pages = await pageCount(path);
  assert.equal(pages, 2 + 2, 'the contract, the signature page, the cancellation certificate');
  for (let page = 1; page <= pages; page++) {
    assert.match(await compactPageText(path, page), /VOID/, `VOID on page ${page}`);
  }
  const signaturePage = await pageText(path, 3);
  const certificate = await pageText(path, 4);
  for (const signer of signedSoFar) {
    assert.ok(signaturePage.includes(signer.name), `${signer.name}'s signature is stamped`);
    assert.ok(certificate.includes(signer.name), `${signer.name} is on the certificate`);
  }
  assert.ok(!certificate.includes(THREE_SIGNERS[2]!.name), 'who had not signed is not listed as signed');
  assert.match(certificate, /Signatures before the cancellation \(2\)/);
});
