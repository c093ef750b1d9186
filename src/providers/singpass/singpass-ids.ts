/** The ids and one-time codes the Singpass surface hands out. */
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix time in ms, then random bits, like the `signv3-0199cc9c-…`
 * ids of the Singpass samples (the time part makes them sort by creation).
 */
export function uuidV7(nowMs: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(nowMs)) % 2 ** 48, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The request_id shown to the RP: `signv3-` + a UUIDv7, as in the Singpass samples. */
export function newSingpassRequestId(nowMs: number): string {
  return `signv3-${uuidV7(nowMs)}`;
}

/** The exchange_code: a random UUIDv4 (122 random bits), the shape of the Singpass samples. */
export function newExchangeCode(): string {
  return randomUUID();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
