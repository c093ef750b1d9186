/**
 * Signing primitives for outgoing webhooks, one per wire format:
 * - native: Standard Webhooks (https://www.standardwebhooks.com), `webhook-id/-timestamp/-signature`;
 * - Lumin: `X-Signature` = hex HMAC-SHA256 of the raw body, keyed with the Primary API key;
 * - Taktikal: an `EventSignature` object inside the body, an HMAC over `${TimeStamp}${Guid}`.
 * Auco has no signature (a static custom header set at registration), so it has nothing here.
 * The body-signing formats take the exact string that will be sent: re-serialising JSON breaks HMACs.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

// ---- Standard Webhooks (native format) ----------------------------------------------------

const STANDARD_SECRET_PREFIX = 'whsec_';

export interface StandardWebhookInput {
  /** Unique per message and reused on every retry, so receivers can de-duplicate. */
  readonly id: string;
  readonly timestampSeconds: number;
  readonly body: string;
  /** `whsec_<base64>`; several during a secret rotation (one signature each, space-separated). */
  readonly secret: string | readonly string[];
}

export interface StandardWebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** 32 random bytes: the spec asks for 24 to 64. */
export function generateWebhookSecret(): string {
  return STANDARD_SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function signStandardWebhook(input: StandardWebhookInput): StandardWebhookHeaders {
  if (!Number.isSafeInteger(input.timestampSeconds) || input.timestampSeconds < 0) {
    throw new RangeError('timestampSeconds must be a non-negative integer (seconds, not ms)');
  }
  const timestamp = String(input.timestampSeconds);
  const signedContent = `${input.id}.${timestamp}.${input.body}`;
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const signatures = secrets.map(
    (secret) =>
      'v1,' + createHmac('sha256', decodeStandardSecret(secret)).update(signedContent, 'utf8').digest('base64'),
  );
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

/** The HMAC key is the decoded bytes, not the `whsec_…` text: receivers' libraries decode it. */
function decodeStandardSecret(secret: string): Buffer {
  const encoded = secret.startsWith(STANDARD_SECRET_PREFIX) ? secret.slice(STANDARD_SECRET_PREFIX.length) : '';
  // Buffer.from(…, 'base64') silently skips bad characters; a malformed secret must fail loudly.
  if (encoded.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new TypeError('a Standard Webhooks secret must be "whsec_" followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}

// ---- Lumin ---------------------------------------------------------------------------------

export const LUMIN_USER_AGENT = 'Lumin Sign API';

export function computeLuminSignature(rawBody: string, primaryApiKey: string): string {
  return createHmac('sha256', Buffer.from(primaryApiKey, 'utf8')).update(rawBody, 'utf8').digest('hex');
}

export function signLuminWebhook(
  rawBody: string,
  primaryApiKey: string,
): { 'X-Signature': string; 'User-Agent': string } {
  return { 'X-Signature': computeLuminSignature(rawBody, primaryApiKey), 'User-Agent': LUMIN_USER_AGENT };
}

/** Hex compares case-insensitively (Lumin sends lowercase; a receiver may have upper-cased it). */
export function verifyLuminSignature(rawBody: string, primaryApiKey: string, signature: string): boolean {
  return constantTimeEqual(computeLuminSignature(rawBody, primaryApiKey), signature.trim().toLowerCase());
}

// ---- Taktikal ------------------------------------------------------------------------------

/**
 * .NET ticks are 100 ns units since 0001-01-01T00:00:00Z; the Unix epoch is 621355968000000000 ticks.
 * Today's values (~6.4e17) exceed Number.MAX_SAFE_INTEGER, hence bigint.
 */
const UNIX_EPOCH_TICKS = 621_355_968_000_000_000n;
const TICKS_PER_MS = 10_000n;

export function toDotNetTicks(time: Date | number): bigint {
  const ms = typeof time === 'number' ? time : time.getTime();
  if (!Number.isSafeInteger(ms)) throw new RangeError('time must be a valid Date or an integer of milliseconds');
  return BigInt(ms) * TICKS_PER_MS + UNIX_EPOCH_TICKS;
}

/** Sub-millisecond ticks are truncated: JS dates hold milliseconds. */
export function fromDotNetTicks(ticks: bigint | string): Date {
  const value = typeof ticks === 'bigint' ? ticks : BigInt(ticks);
  return new Date(Number((value - UNIX_EPOCH_TICKS) / TICKS_PER_MS));
}

/**
 * TimeStamp is kept as the exact decimal string of the ticks (the docs' TypeScript interface uses a
 * string); on the wire it is a JSON number (the docs' JSON example and C# `long`): use
 * serializeTaktikalWebhookPayload, because JSON.stringify cannot write a bigint.
 */
export interface TaktikalEventSignature {
  readonly TimeStamp: string;
  readonly Guid: string;
  readonly Signature: string;
  readonly SignedData: string;
}

export interface TaktikalSignatureInput {
  readonly webhookSignatureKey: string;
  /** Defaults to now. */
  readonly at?: Date | number;
  /** Defaults to a random UUID; injectable for reproducible tests. */
  readonly guid?: string;
}

/**
 * Note: Taktikal's signature covers only TimeStamp and Guid, not the event data, so it proves the
 * sender knows the key but not that the body is untampered. We reproduce it as documented.
 */
export function createTaktikalEventSignature(input: TaktikalSignatureInput): TaktikalEventSignature {
  const timeStamp = toDotNetTicks(input.at ?? Date.now()).toString();
  const guid = input.guid ?? randomUUID();
  const signedData = `${timeStamp}${guid}`;
  return {
    TimeStamp: timeStamp,
    Guid: guid,
    Signature: computeTaktikalSignature(signedData, input.webhookSignatureKey),
    SignedData: signedData,
  };
}

export function computeTaktikalSignature(signedData: string, webhookSignatureKey: string): string {
  return createHmac('sha256', Buffer.from(webhookSignatureKey, 'utf8')).update(signedData, 'utf8').digest('base64');
}

/** Checks the HMAC over SignedData, as Taktikal's own C# and TypeScript examples do. */
export function verifyTaktikalSignature(
  eventSignature: Pick<TaktikalEventSignature, 'Signature' | 'SignedData'>,
  webhookSignatureKey: string,
): boolean {
  return constantTimeEqual(
    computeTaktikalSignature(eventSignature.SignedData, webhookSignatureKey),
    eventSignature.Signature,
  );
}

/** `{Id, EventData, EventSignature}` with TimeStamp written as a bare 18-digit JSON number. */
export function serializeTaktikalWebhookPayload(payload: {
  readonly Id: string;
  readonly EventData: unknown;
  readonly EventSignature: TaktikalEventSignature;
}): string {
  const { TimeStamp, Guid, Signature, SignedData } = payload.EventSignature;
  if (!/^\d{1,19}$/.test(TimeStamp)) throw new TypeError('TimeStamp must be decimal .NET ticks');
  const json = JSON.stringify;
  const signature = `{"TimeStamp":${TimeStamp},"Guid":${json(Guid)},"Signature":${json(Signature)},"SignedData":${json(SignedData)}}`;
  return `{"Id":${json(payload.Id)},"EventData":${json(payload.EventData ?? null)},"EventSignature":${signature}}`;
}

// ---- shared --------------------------------------------------------------------------------

/** timingSafeEqual needs equal lengths; the length of a signature is public, so checking it first leaks nothing. */
function constantTimeEqual(expected: string, received: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const receivedBytes = Buffer.from(received, 'utf8');
  return expectedBytes.length === receivedBytes.length && timingSafeEqual(expectedBytes, receivedBytes);
}
