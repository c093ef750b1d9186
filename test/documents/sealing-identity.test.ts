// The server's sealing identity: generated once into the data dir and reused (also by processes
// starting together), protected at rest, or the operator's P12 from the configuration. Certificates
// are read back with openssl, P12 files made with openssl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import {
  SEAL_FILE_NAME,
  SealingError,
  loadSealingIdentity,
  sealPdf,
  type SealingErrorReason,
} from '../../src/documents/pdf.js';
import { sealingIdentityOptions } from '../../src/main.js';
import { assertSealedValid, makeContract, runTool, savePdf } from './support/pdf-tools.js';

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-identity-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

function isSealingError(reason: SealingErrorReason, message?: RegExp) {
  return (error: unknown): true => {
    assert.ok(error instanceof SealingError, `expected SealingError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    if (message) assert.match(error.message, message);
    return true;
  };
}

test('the self-signed certificate is generated once into the data dir (0600, key encrypted) and reused', async () => {
  const dataDir = join(directory, 'once');
  const options = { dataDir, keyEncryptionKey: randomBytes(32), publicUrl: 'https://sign.acme.example/app' };
  // Three processes starting together on a fresh data dir, then a restart: one certificate.
  const [first, ...others] = await Promise.all([1, 2, 3].map(() => loadSealingIdentity(options)));
  const restarted = await loadSealingIdentity(options);
  for (const identity of [...others, restarted]) assert.equal(identity.fingerprint256, first!.fingerprint256);
  assert.equal(first!.source, 'generated');
  assert.equal(first!.subject, 'CN=sign.acme.example');
  assert.deepEqual(await readdir(dataDir), [SEAL_FILE_NAME], 'no temporary file left behind');

  const file = join(dataDir, SEAL_FILE_NAME);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const pem = await readFile(file, 'utf8');
  assert.match(pem, /-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  assert.doesNotMatch(pem, /-----BEGIN (RSA )?PRIVATE KEY-----/);

  const certificate = join(directory, 'generated.crt');
  await writeFile(certificate, pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
  const { stdout } = await runTool('openssl', ['x509', '-in', certificate, '-noout', '-text']);
  assert.match(stdout, /Subject: CN ?= ?sign\.acme\.example/);
  assert.match(stdout, /Public-Key: \(3072 bit\)/);
  assert.match(stdout, /Key Usage: critical\s+Digital Signature, Non Repudiation/);
  assert.match(stdout, /CA:FALSE/);
  const years = (first!.notAfter.getTime() - first!.notBefore.getTime()) / (365 * 24 * 3600_000);
  assert.ok(years > 9.9 && years < 10.1, `valid for ten years (${years})`);
});

test('another server key cannot read seal.pem: a clear error, and the file is left alone', async () => {
  const dataDir = join(directory, 'rekeyed');
  await loadSealingIdentity({ dataDir, keyEncryptionKey: randomBytes(32), publicUrl: 'http://localhost:8080' });
  const before = await readFile(join(dataDir, SEAL_FILE_NAME));
  await assert.rejects(
    loadSealingIdentity({ dataDir, keyEncryptionKey: randomBytes(32), publicUrl: 'http://localhost:8080' }),
    isSealingError('identity_unreadable', /server key/),
  );
  assert.ok(before.equals(await readFile(join(dataDir, SEAL_FILE_NAME))));
});

test("the operator's P12 from COUNTERSIGN_SEAL_P12 and _PASSWORD seals documents in its own name", async () => {
  const key = join(directory, 'operator.key');
  const certificate = join(directory, 'operator.crt');
  const p12 = join(directory, 'operator.p12');
  const password = 'correct horse battery staple';
  const made = await runTool('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '365'],
    ...['-subj', '/CN=Acme Document Seal/O=Acme', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation'],
  ]);
  assert.equal(made.code, 0, made.stderr);
  const exported = await runTool('openssl', [
    ...['pkcs12', '-export', '-inkey', key, '-in', certificate, '-out', p12, '-passout', `pass:${password}`],
  ]);
  assert.equal(exported.code, 0, exported.stderr);

  const dataDir = join(directory, 'operator-data');
  const env = { COUNTERSIGN_DATA_DIR: dataDir, COUNTERSIGN_SEAL_P12: p12, COUNTERSIGN_SEAL_P12_PASSWORD: password };
  const identity = await loadSealingIdentity(sealingIdentityOptions(loadConfig(env)));
  assert.equal(identity.source, 'p12');
  assert.match(identity.subject, /CN=Acme Document Seal/);
  assert.ok(!(await readdir(dataDir).catch((): string[] => [])).includes(SEAL_FILE_NAME), 'nothing generated');

  const seal = await assertSealedValid(
    await savePdf(directory, 'operator-sealed.pdf', await sealPdf(await makeContract(1), identity)),
  );
  assert.equal(seal.commonName, 'Acme Document Seal');

  const wrong = loadConfig({ ...env, COUNTERSIGN_SEAL_P12_PASSWORD: 'not the password' });
  await assert.rejects(loadSealingIdentity(sealingIdentityOptions(wrong)), (error: unknown) => {
    isSealingError('identity_unreadable', /COUNTERSIGN_SEAL_P12_PASSWORD/)(error);
    assert.ok(!(error as Error).message.includes('not the password'), 'the password is not in the message');
    return true;
  });
  await assert.rejects(
    loadSealingIdentity({
      ...sealingIdentityOptions(loadConfig(env)),
      now: new Date(Date.now() + 2 * 365 * 86_400_000),
    }),
    isSealingError('identity_expired'),
  );
});

test('COUNTERSIGN_TSA_URL must be an http or https URL', () => {
  assert.equal(loadConfig({ COUNTERSIGN_TSA_URL: 'http://tsa.example/tsr' }).tsaUrl, 'http://tsa.example/tsr');
  assert.equal(loadConfig({}).tsaUrl, undefined);
  for (const bad of ['ftp://tsa.example/', 'not a url']) {
    assert.throws(() => loadConfig({ COUNTERSIGN_TSA_URL: bad }), `${bad} is refused`);
  }
});
