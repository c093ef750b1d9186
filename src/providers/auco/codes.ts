/**
 * Auco document codes: 10 upper-case letters and digits (`TR99AQMY31`), shown as the id of a
 * process. Stored as the request alias `auco_code`; unique within a tenant.
 */
import type { IdGenerator } from '../../core/ports.js';

export const AUCO_CODE_ALIAS = 'auco_code';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CODE_LENGTH = 10;
/** 252 = 7 × 36: bytes at or above it are skipped, so every character is equally likely. */
const UNBIASED_LIMIT = 252;

export function newAucoCode(ids: IdGenerator): string {
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const byte of Buffer.from(ids.secret(16), 'base64url')) {
      if (byte < UNBIASED_LIMIT && code.length < CODE_LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return code;
}

/** Codes are upper-case; a lower-cased one is still found. Other ids (native `sr_…`) pass unchanged. */
export function normaliseCode(code: string): string {
  const trimmed = code.trim();
  return /^[0-9A-Za-z]{10}$/.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}
