/**
 * Fetching and caching of relying-party (RP) JWKS documents for the Singpass Sign v3 surface.
 *
 * Two parts:
 * - `createGuardedJwksFetcher`: the default HTTP fetcher. The JWKS URL is set by an operator, but
 *   a mistyped or malicious URL must not turn the server into a proxy into its own network (SSRF),
 *   so by default it refuses hosts that are or resolve to private, loopback or link-local
 *   addresses, requires https, follows no redirects, stops after 3 s and reads at most 64 KiB.
 * - `createJwksCache`: caches each URL's keys for `cacheTtlMs` (Singpass documents a 1 h cache)
 *   and refetches early when a token names an unknown `kid` (key rotation), at most once per
 *   `minRefetchIntervalMs` per URL, so a flood of bogus kids cannot hammer the RP's server.
 */
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { JWK } from 'jose';

/** Fetches a JWKS URL and returns the parsed JSON body (validated by the cache, not here). */
export type FetchJwks = (url: string) => Promise<unknown>;

/** A JWKS could not be obtained. Messages are safe to log: no URL, body or credentials. */
export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

// Ranges that must never be reached through an operator-supplied URL. Built once; never mutated.
// BlockList applies the IPv4 rules to IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) by itself; an
// explicit ::ffff:0:0/96 rule would instead match every IPv4 address. The tests pin both behaviours.
const NON_PUBLIC_ADDRESSES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC_ADDRESSES.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible block
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48], // NAT64, same smuggling concern
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC_ADDRESSES.addSubnet(network, prefix, 'ipv6');

/** True for loopback, private, link-local, CGNAT, multicast and other non-public addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an IP address at all: refuse rather than guess
  return NON_PUBLIC_ADDRESSES.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const refusedAddressMessage = 'JWKS host is or resolves to a private, loopback or link-local address';

// Checks the addresses at connect time (not in a separate lookup beforehand), so a DNS answer
// that changes between check and connect (DNS rebinding) cannot slip through.
const lookupPublicOnly = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    if (addresses.length === 0 || addresses.some((entry) => isNonPublicAddress(entry.address))) {
      return callback(new JwksFetchError(refusedAddressMessage), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

export interface GuardedJwksFetcherOptions {
  /** Allow private/loopback/link-local hosts and plain http. For development and tests only. */
  allowPrivateNetworks?: boolean;
  timeoutMs?: number; // default 3000, the timeout Singpass itself uses for JWKS fetches
  maxBytes?: number; // default 64 KiB
}

export function createGuardedJwksFetcher(options: GuardedJwksFetcherOptions = {}): FetchJwks {
  const { allowPrivateNetworks = false, timeoutMs = 3000, maxBytes = 64 * 1024 } = options;

  return async (rawUrl) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new JwksFetchError('JWKS URL is not a valid URL');
    }
    const isHttps = url.protocol === 'https:';
    if (!isHttps && !(allowPrivateNetworks && url.protocol === 'http:')) {
      throw new JwksFetchError('JWKS URL must use https');
    }
    // A literal IP host never goes through `lookup`, so check it here.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!allowPrivateNetworks && isIP(host) !== 0 && isNonPublicAddress(host)) {
      throw new JwksFetchError(refusedAddressMessage);
    }

    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (error: Error | undefined, value?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          request.destroy();
          reject(
            error instanceof JwksFetchError ? error : new JwksFetchError(`JWKS request failed${errorCode(error)}`),
          );
        } else resolve(value);
      };
      const request = (isHttps ? https : http).request(url, {
        method: 'GET',
        headers: { accept: 'application/json, application/jwk-set+json' },
        // No pooled sockets: a socket opened by a fetcher that allows private networks must never
        // be reused by one that does not. JWKS fetches are rare, so the extra handshake is cheap.
        agent: false,
        ...(allowPrivateNetworks ? {} : { lookup: lookupPublicOnly }),
      });
      timer = setTimeout(() => finish(new JwksFetchError('JWKS request timed out')), timeoutMs);
      request.on('error', (error) => finish(error));
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          const isRedirect = (response.statusCode ?? 0) >= 300 && (response.statusCode ?? 0) < 400;
          return finish(
            new JwksFetchError(
              isRedirect
                ? 'JWKS endpoint answered with a redirect; redirects are not followed'
                : `JWKS endpoint answered HTTP ${response.statusCode ?? 'unknown'}`,
            ),
          );
        }
        const tooLarge = new JwksFetchError(`JWKS response is larger than ${maxBytes} bytes`);
        if (Number(response.headers['content-length'] ?? 0) > maxBytes) return finish(tooLarge);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(tooLarge);
          else chunks.push(chunk);
        });
        response.on('error', (error) => finish(error));
        response.on('end', () => {
          try {
            finish(undefined, JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            finish(new JwksFetchError('JWKS response is not JSON'));
          }
        });
      });
      request.end();
    });
  };
}

function errorCode(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? ` (${code})` : '';
}

export interface JwksCacheOptions {
  fetchJwks: FetchJwks;
  clock: () => number; // ms
  cacheTtlMs: number;
  minRefetchIntervalMs: number;
}

export interface JwksCache {
  /**
   * The keys published at `url`: cached, or fetched when the cache is stale, or refetched when
   * none has `kid` (if the last fetch of this URL is older than `minRefetchIntervalMs`).
   * The result may still lack `kid`; the caller reports that. Throws `JwksFetchError` when no
   * fresh key set can be obtained.
   */
  getKeys(url: string, kid: string): Promise<JWK[]>;
}

interface CacheEntry {
  keys: JWK[] | undefined; // last successfully fetched key set
  fetchedAtMs: number; // when `keys` was fetched
  lastAttemptAtMs: number; // last fetch attempt, successful or not: the rate-limit anchor
}

export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const { fetchJwks, clock, cacheTtlMs } = options;
  // A refetch interval longer than the TTL would leave expired entries unrefreshable.
  const minRefetchIntervalMs = Math.min(options.minRefetchIntervalMs, cacheTtlMs);
  const entries = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<JWK[]>>(); // concurrent callers share one fetch

  const refresh = (url: string): Promise<JWK[]> => {
    const pending = inFlight.get(url);
    if (pending) return pending;
    const entry = entries.get(url) ?? { keys: undefined, fetchedAtMs: 0, lastAttemptAtMs: 0 };
    entry.lastAttemptAtMs = clock();
    entries.set(url, entry);
    const fetched = Promise.resolve()
      .then(() => fetchJwks(url))
      .then((body) => {
        const keys = parseKeySet(body);
        entry.keys = keys;
        entry.fetchedAtMs = clock();
        return keys;
      })
      .finally(() => inFlight.delete(url));
    inFlight.set(url, fetched);
    return fetched;
  };

  return {
    async getKeys(url, kid) {
      const now = clock();
      const entry = entries.get(url);
      const isFresh = entry?.keys !== undefined && now - entry.fetchedAtMs < cacheTtlMs;
      if (isFresh && entry.keys!.some((key) => key.kid === kid)) return entry.keys!;
      // Joining a fetch already under way costs the RP nothing, so it is never rate-limited.
      const mayFetch = entry === undefined || now - entry.lastAttemptAtMs >= minRefetchIntervalMs || inFlight.has(url);
      if (!mayFetch) {
        if (isFresh) return entry.keys!; // unknown kid, refetch rate-limited: caller reports it
        throw new JwksFetchError('JWKS fetch failed recently; not retrying yet');
      }
      try {
        return await refresh(url);
      } catch (error) {
        throw error instanceof JwksFetchError
          ? error
          : new JwksFetchError(`JWKS fetch failed${errorCode(error as Error)}`);
      }
    },
  };
}

function parseKeySet(body: unknown): JWK[] {
  const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new JwksFetchError('JWKS response has no "keys" array');
  return keys.filter((key): key is JWK => typeof key === 'object' && key !== null && !Array.isArray(key));
}
