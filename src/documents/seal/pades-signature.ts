/**
 * The CMS signature inside a seal, made PAdES baseline.
 *
 * @libpdf/core 0.4.2 writes an `ETSI.CAdES.detached` signature with the ESS signing-certificate-v2
 * attribute, but also always with a CMS `signing-time` attribute, which ETSI EN 319 142-1 (table 1)
 * forbids in PAdES baseline signatures (the time belongs in the signature dictionary's /M, which
 * libpdf also writes). Strict validators then do not recognise the seal as PAdES-BASELINE-B.
 * Reported upstream (LibPDF-js/core issue 86); until it is fixed we take libpdf's signature, drop
 * that attribute, sign the remaining attributes again with the same signer, and put the result
 * back in the space libpdf reserved. The signed byte range is untouched, so the message digest
 * libpdf computed stays right. For B-T the timestamp is requested here, over the final signature
 * value (requesting it in libpdf would stamp the value we replace).
 */
import { createHash } from 'node:crypto';
import type { Signer } from '@libpdf/core';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';
const SIGNATURE_TIMESTAMP_OID = '1.2.840.113549.1.9.16.2.14';

export interface SignatureSpace {
  /** Offset of the first hex digit inside `<…>` of the last signature's /Contents. */
  start: number;
  /** Offset just past the last hex digit. */
  end: number;
}

/** Where the last signature's /Contents hex lies: between the 2nd and 3rd numbers of its /ByteRange. */
export function findSignatureSpace(pdf: Uint8Array): SignatureSpace {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  const match = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 100));
  if (at === -1 || !match) throw new Error('the sealed PDF has no /ByteRange');
  const start = Number(match[2]) + 1;
  const end = Number(match[3]) - 1;
  if (text[start - 1] !== '<' || text[end] !== '>') throw new Error('the /ByteRange does not frame the /Contents');
  return { start, end };
}

/** Rewrites the CMS in place (see above); `timestampToken` fetches a token for a SHA-256 digest. */
export async function makeBaselineSignature(
  pdf: Uint8Array,
  signer: Signer,
  timestampToken?: (digest: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const space = findSignatureSpace(pdf);
  const hex = Buffer.from(pdf.subarray(space.start, space.end)).toString('latin1');
  const contentInfo = pkijs.ContentInfo.fromBER(Buffer.from(hex, 'hex')); // trailing zero padding is ignored
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo?.signedAttrs) throw new Error('the signature has no signed attributes');

  const attributes = signerInfo.signedAttrs.attributes.filter((attribute) => attribute.type !== SIGNING_TIME_OID);
  signerInfo.signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  // What is signed is the attributes' DER with the SET OF tag, not the [0] they are stored under (RFC 5652, 5.4).
  const toSign = new Uint8Array(signerInfo.signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31;
  const signature = await signer.sign(toSign, 'SHA-256');
  signerInfo.signature = new asn1js.OctetString({ valueHex: signature });
  signerInfo.unsignedAttrs = undefined;
  if (timestampToken) {
    const token = await timestampToken(createHash('sha256').update(signature).digest());
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: SIGNATURE_TIMESTAMP_OID, values: [asn1js.fromBER(token).result] })],
    });
  }

  const der = new pkijs.ContentInfo({ contentType: contentInfo.contentType, content: signedData.toSchema() })
    .toSchema()
    .toBER(false);
  const newHex = Buffer.from(der).toString('hex');
  if (newHex.length > space.end - space.start) throw new Error('the signature does not fit the reserved space');
  const sealed = new Uint8Array(pdf);
  sealed.set(Buffer.from(newHex.padEnd(space.end - space.start, '0'), 'latin1'), space.start);
  return sealed;
}
