/**
 * The server's sealing identity: the operator's PKCS#12 file when configured, otherwise a
 * self-signed certificate generated on first use into the data dir, next to server.key.
 *
 * The generated file, `seal.pem`, holds the certificate and the private key as encrypted PKCS#8
 * (AES-256-CBC under a key derived from the server key): a copy of the data dir without the server
 * key (set through COUNTERSIGN_SERVER_KEY) does not give the key away. It is created 0600 and
 * atomically (written aside, then hard-linked into place, which fails if it exists), so processes
 * that start together on one data dir all end up with the one certificate that was linked first.
 */
import { X509Certificate, createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CryptoKeySigner, P12Signer, type Signer } from '@libpdf/core';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../security/private-files.js';
import { SealingError } from './sealing-error.js';
import { SEAL_KEY_ALGORITHM, generateSelfSignedIdentity } from './self-signed-certificate.js';

export const SEAL_FILE_NAME = 'seal.pem';

export interface SealingIdentity {
  readonly signer: Signer;
  readonly certificateDer: Uint8Array;
  readonly source: 'p12' | 'generated';
  /** The certificate's subject, e.g. "CN=sign.example.com". */
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the certificate, colon-separated hex (as `openssl x509 -fingerprint -sha256` prints it). */
  readonly fingerprint256: string;
}

export interface LoadSealingIdentityOptions {
  readonly dataDir: string;
  /** 32 bytes derived from the server key for this purpose alone: encrypts the generated key at rest. */
  readonly keyEncryptionKey: Uint8Array;
  /** The instance's public URL: its host names the generated certificate. */
  readonly publicUrl: string;
  /** An operator's PKCS#12 file (COUNTERSIGN_SEAL_P12) and its password (COUNTERSIGN_SEAL_P12_PASSWORD). */
  readonly p12Path?: string | undefined;
  readonly p12Password?: string | undefined;
  readonly now?: Date;
}

export async function loadSealingIdentity(options: LoadSealingIdentityOptions): Promise<SealingIdentity> {
  const now = options.now ?? new Date();
  const identity = options.p12Path
    ? await loadOperatorP12(options.p12Path, options.p12Password ?? '')
    : await loadOrGenerate(options, now);
  if (now < identity.notBefore || now > identity.notAfter) {
    throw new SealingError(
      'identity_expired',
      `The sealing certificate (${identity.subject}) is valid from ${identity.notBefore.toISOString()} to ${identity.notAfter.toISOString()}.`,
    );
  }
  return identity;
}

async function loadOperatorP12(path: string, password: string): Promise<SealingIdentity> {
  let signer: P12Signer;
  try {
    signer = await P12Signer.create(await readFile(path), password);
  } catch (error) {
    throw new SealingError(
      'identity_unreadable',
      `The sealing P12 ${path} cannot be opened: missing, not a PKCS#12 file, or the password (COUNTERSIGN_SEAL_P12_PASSWORD) is wrong.`,
      { cause: error },
    );
  }
  return describe(signer, signer.certificate, 'p12');
}

async function loadOrGenerate(options: LoadSealingIdentityOptions, now: Date): Promise<SealingIdentity> {
  const dir = resolve(options.dataDir);
  const file = join(dir, SEAL_FILE_NAME);
  const passphrase = Buffer.from(options.keyEncryptionKey).toString('base64');
  let pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (pem === null) {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const generated = await generateSelfSignedIdentity(commonNameFor(options.publicUrl), now);
    const keyPem = (await keyObjectOf(generated.privateKey)).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase,
    });
    const certificatePem = new X509Certificate(generated.certificateDer).toString();
    const aside = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(aside, `${String(keyPem)}${certificatePem}`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    try {
      await link(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(aside);
    }
    pem = await readFile(file, 'utf8');
  }
  return readSealFile(file, pem, passphrase);
}

async function readSealFile(file: string, pem: string, passphrase: string): Promise<SealingIdentity> {
  const keyPem = /-----BEGIN ENCRYPTED PRIVATE KEY-----[^-]+-----END ENCRYPTED PRIVATE KEY-----/.exec(pem)?.[0];
  const certificatePem = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem)?.[0];
  let privateKey: KeyObject;
  let certificate: X509Certificate;
  try {
    if (!keyPem || !certificatePem) throw new Error('an encrypted private key and a certificate were expected');
    privateKey = createPrivateKey({ key: keyPem, format: 'pem', passphrase });
    certificate = new X509Certificate(certificatePem);
    if (!certificate.checkPrivateKey(privateKey)) throw new Error('the key does not match the certificate');
  } catch (error) {
    throw new SealingError(
      'identity_unreadable',
      `${file} cannot be read with this server key (was server.key or COUNTERSIGN_SERVER_KEY changed?). Restore the key it was made with, or move the file away to generate a new certificate.`,
      { cause: error },
    );
  }
  const cryptoKey = await webcrypto.subtle.importKey(
    'pkcs8',
    privateKey.export({ type: 'pkcs8', format: 'der' }),
    SEAL_KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const signer = new CryptoKeySigner(cryptoKey, new Uint8Array(certificate.raw), 'RSA', 'RSASSA-PKCS1-v1_5');
  return describe(signer, signer.certificate, 'generated');
}

function describe(signer: Signer, der: Uint8Array, source: SealingIdentity['source']): SealingIdentity {
  const certificate = new X509Certificate(der);
  return {
    signer,
    certificateDer: der,
    source,
    subject: certificate.subject.split('\n').join(', '),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    fingerprint256: certificate.fingerprint256,
  };
}

async function keyObjectOf(key: webcrypto.CryptoKey): Promise<KeyObject> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
}

/** The public URL's host; "localhost" when it has none that parses. */
export function commonNameFor(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
