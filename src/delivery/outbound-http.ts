/**
 * One webhook POST, made safe to aim at URLs that strangers registered (SSRF):
 * - only http: and https:;
 * - every address the host resolves to must be public (unless allowPrivateNetworks, for
 *   self-hosters whose receivers live on their own network), and the socket is pinned to the
 *   addresses that were checked, so a second DNS answer (rebinding) cannot redirect it;
 * - redirects are never followed (a 3xx is a failed attempt): following one would skip the check;
 * - one deadline covers DNS, connect, headers and body, and at most maxResponseBytes are read.
 * Network failures come back as a result, never as an exception: the outbox records them.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** DNS is injectable: tests use it to simulate hostnames that resolve to forbidden addresses. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/**
 * Keep-alive connections shared by posts (connection-pool.ts implements it). Declared here, by its
 * user, so that the pool depends on this module and not the other way round.
 */
export interface WebhookConnectionPool {
  agentFor(url: URL, addresses: readonly ResolvedAddress[], timeoutMs: number): Agent;
  close(): Promise<void>;
}

export type WebhookUrlErrorCode = 'invalid_url' | 'unsupported_scheme' | 'unresolvable_host' | 'blocked_address';

export interface WebhookUrlError {
  readonly code: WebhookUrlErrorCode;
  readonly message: string;
}

export type WebhookUrlCheck =
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly ResolvedAddress[] }
  | { readonly ok: false; readonly error: WebhookUrlError };

export interface WebhookUrlOptions {
  readonly allowPrivateNetworks?: boolean;
  readonly resolveHost?: ResolveHost;
}

// Ranges that are not public unicast (IANA special-purpose registries). The WHATWG URL parser has
// already turned odd IPv4 spellings (0x7f.1, 2130706433) into dotted quads before we get here.
// Node 20's BlockList also matches IPv4-mapped IPv6 against IPv4 rules, but that is undocumented,
// so embeddedIpv4 below extracts them explicitly.
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, home of cloud metadata services (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // deprecated 6to4 relays
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // deprecated IPv4-compatible
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
] as const)
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** True when the address may be contacted without allowPrivateNetworks. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !FORBIDDEN.check(address, 'ipv4');
  if (family !== 6) return false;
  const groups = ipv6Groups(address);
  if (groups === undefined) return false; // unparsable (e.g. with a zone id): refuse rather than guess
  const embedded = embeddedIpv4(groups);
  return embedded === undefined ? !FORBIDDEN.check(address, 'ipv6') : isPublicAddress(embedded);
}

/** The eight 16-bit groups; the URL parser canonicalises first (hex only, one "::"). */
function ipv6Groups(address: string): number[] | undefined {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const [head, tail] = canonical.split('::');
  const [before, after] = [parse(head), parse(tail)];
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * IPv6 forms that carry an IPv4 destination, which must pass the IPv4 rules: IPv4-mapped
 * (::ffff:10.0.0.1), NAT64 (64:ff9b::/96, synthesised by DNS64 on IPv6-only hosts) and 6to4 (2002::/16).
 */
function embeddedIpv4(groups: readonly number[]): string | undefined {
  const quad = (high = 0, low = 0) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  const allZero = (...values: (number | undefined)[]) => values.every((value) => value === 0);
  if (allZero(g0, g1, g2, g3, g4) && g5 === 0xffff) return quad(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && allZero(g2, g3, g4, g5)) return quad(g6, g7);
  if (g0 === 0x2002) return quad(g1, g2);
  return undefined;
}

const resolveWithSystemDns: ResolveHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** Registration-time (and send-time) validation; resolves the host, sends nothing. */
export async function checkWebhookUrl(rawUrl: string, options: WebhookUrlOptions = {}): Promise<WebhookUrlCheck> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse('invalid_url', 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse('unsupported_scheme', `scheme ${url.protocol} is not allowed; use http or https`);
  }
  // The one place that refuses user:password@: undici would drop them silently, and a URL is stored
  // and shown in clear. The receiver authenticates us by the webhook's signature (or Auco's header).
  if (url.username !== '' || url.password !== '') {
    return refuse(
      'invalid_url',
      'credentials in the URL are not accepted: they would be stored in clear and never sent',
    );
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literalFamily = isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literalFamily !== 0) {
    addresses = [{ address: hostname, family: literalFamily === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolveHost ?? resolveWithSystemDns)(hostname);
    } catch (error) {
      return refuse('unresolvable_host', `cannot resolve ${hostname}: ${describeError(error)}`);
    }
    if (addresses.length === 0) return refuse('unresolvable_host', `${hostname} has no addresses`);
  }
  // Every address, not just the first: the connection may fall back to any of them.
  const forbidden = options.allowPrivateNetworks
    ? undefined
    : addresses.find((entry) => !isPublicAddress(entry.address));
  if (forbidden) {
    return refuse('blocked_address', `${hostname} resolves to ${forbidden.address}, a private or reserved address`);
  }
  return { ok: true, url, addresses };
}

function refuse(code: WebhookUrlErrorCode, message: string): WebhookUrlCheck {
  return { ok: false, error: { code, message } };
}

export interface WebhookPostRequest extends WebhookUrlOptions {
  readonly url: string;
  /** The exact bytes that were signed. */
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** Defaults to any 2xx; Lumin and Taktikal accept only 200 (see isSuccessStatus in retry-schedules). */
  readonly isSuccessStatus?: (status: number) => boolean;
  /** Keep-alive connections shared across posts (the delivery worker's); without it, one connection per post. */
  readonly pool?: WebhookConnectionPool;
}

export type DeliveryErrorCode = WebhookUrlErrorCode | 'timeout' | 'connection_failed' | 'redirect' | 'http_status';

export interface WebhookPostResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly durationMs: number;
  /** The first maxResponseBytes of the response body, decoded as UTF-8, for the delivery log. */
  readonly responseSnippet: string;
  readonly error?: string;
  readonly errorCode?: DeliveryErrorCode;
}

export async function postWebhook(input: WebhookPostRequest): Promise<WebhookPostResult> {
  const startedAt = performance.now();
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const received: Buffer[] = [];
  let status: number | undefined;
  let agent: Agent | undefined;
  let isPooled = false;
  const finish = (errorCode?: DeliveryErrorCode, error?: string): WebhookPostResult => ({
    ok: errorCode === undefined,
    status,
    durationMs: Math.round(performance.now() - startedAt),
    responseSnippet: Buffer.concat(received).toString('utf8'),
    ...(errorCode === undefined ? {} : { errorCode, error }),
  });
  try {
    const check = await untilAborted(checkWebhookUrl(input.url, input), deadline.signal);
    if (!check.ok) return finish(check.error.code, check.error.message);
    isPooled = input.pool !== undefined;
    agent = input.pool
      ? input.pool.agentFor(check.url, check.addresses, timeoutMs)
      : pinnedAgent(check.addresses, timeoutMs, 1);
    const response = await request(check.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...lowerCaseKeys(input.headers ?? {}) },
      body: input.body,
      dispatcher: agent,
      signal: deadline.signal,
    });
    status = response.statusCode;
    await readAtMost(response.body, input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, received);
    // A pooled connection goes back to the pool only after a complete answer; an unread rest closes it.
    if (!response.body.readableEnded) response.body.destroy();
    if (status >= 300 && status <= 399) {
      return finish(
        'redirect',
        `redirect not followed: ${status} to ${String(response.headers.location ?? '(no Location)')}`,
      );
    }
    const isSuccess = input.isSuccessStatus ?? ((code: number) => code >= 200 && code <= 299);
    return isSuccess(status) ? finish() : finish('http_status', `receiver answered ${status}`);
  } catch (error) {
    return deadline.signal.aborted || isUndiciTimeout(error)
      ? finish('timeout', `no complete answer within ${timeoutMs} ms`)
      : finish('connection_failed', describeError(error));
  } finally {
    clearTimeout(timer);
    // destroy, not close: whatever the receiver is still sending is unwanted.
    if (!isPooled) await agent?.destroy().catch(() => undefined);
  }
}

/** An undici agent whose sockets go only to the checked addresses. */
export function pinnedAgent(addresses: readonly ResolvedAddress[], timeoutMs: number, connections: number): Agent {
  return new Agent({ connect: { lookup: pinnedLookup(addresses), timeout: timeoutMs }, connections });
}

/** Hands net.connect the checked addresses instead of asking DNS again. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all)
      callback(
        null,
        addresses.map(({ address, family }) => ({ address, family })),
      );
    else if (first) callback(null, first.address, first.family);
    else callback(new Error('no checked address to connect to'), '', 0);
  };
}

async function readAtMost(body: AsyncIterable<Buffer>, maxBytes: number, into: Buffer[]): Promise<void> {
  let total = 0;
  if (maxBytes <= 0) return; // the agent's destroy discards the unread body
  for await (const chunk of body) {
    const kept = chunk.subarray(0, maxBytes - total);
    into.push(kept);
    total += kept.length;
    if (total >= maxBytes) break; // leaving the loop destroys the stream: the rest is never read
  }
}

/** DNS lookups cannot be cancelled; this stops waiting for one at the deadline. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** HTTP header names are case-insensitive; without this a caller's Content-Type would be sent twice. */
function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const prefix = typeof code === 'string' && !error.message.includes(code) ? `${code}: ` : '';
  return `${prefix}${error.message}${cause}`;
}
