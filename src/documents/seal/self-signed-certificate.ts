/**
 * The server's own sealing certificate when the operator gives none: self-signed, RSA 3072 with
 * SHA-256 (the one key type every PDF validator accepts), for document signing only.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const SEAL_KEY_ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 3072,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

/** Ten years: documents sealed late in its life still show a certificate valid when they were sealed. */
export const SELF_SIGNED_VALIDITY_MS = 10 * 365 * 24 * 3600_000;

const OID = {
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
};

export interface GeneratedIdentity {
  privateKey: webcrypto.CryptoKey;
  certificateDer: Uint8Array;
}

export async function generateSelfSignedIdentity(commonName: string, now: Date): Promise<GeneratedIdentity> {
  const keys = (await webcrypto.subtle.generateKey(SEAL_KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  certificate.version = 2; // X.509 v3
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  const name = new asn1js.Utf8String({ value: commonName });
  certificate.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: name }));
  certificate.issuer.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: name }));
  // An hour back: a validator whose clock is a little behind ours still sees it valid.
  certificate.notBefore.value = new Date(now.getTime() - 3600_000);
  certificate.notAfter.value = new Date(now.getTime() + SELF_SIGNED_VALIDITY_MS);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  const publicKeyBits = certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  certificate.extensions = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    // digitalSignature and nonRepudiation (contentCommitment): bits 0 and 1.
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      extnValue: new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      critical: false,
      extnValue: new asn1js.OctetString({ valueHex: createHash('sha1').update(publicKeyBits).digest() }).toBER(false),
    }),
  ];
  await certificate.sign(keys.privateKey, 'SHA-256');
  return { privateKey: keys.privateKey, certificateDer: new Uint8Array(certificate.toSchema(true).toBER(false)) };
}
