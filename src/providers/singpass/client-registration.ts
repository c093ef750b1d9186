/**
 * Registering a relying party (RP) with the Singpass surface, for the CLI and the admin API.
 *
 * A JWKS URL is fetched by this server later, so a URL pointing into the server's own network
 * would make it a proxy there (SSRF). Unless the operator allows it for this client, the URL must
 * be https and its host must be, and resolve only to, public addresses. The fetcher checks again
 * at connect time (jwks-cache.ts), which also covers DNS answers that change later.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { CoreError } from '../../core/errors.js';
import type { CoreDeps } from '../../core/ports.js';
import { isNonPublicAddress } from './jwks-cache.js';
import type { SingpassClientRecord, SingpassStore } from './singpass-store.js';

export interface RegisterClientInput {
  readonly tenantId: string;
  readonly clientId: string;
  readonly jwksUrl?: string;
  readonly jwks?: unknown;
  /** Only the operator (CLI) may set this; the admin API never does. */
  readonly allowPrivateJwksUrl?: boolean;
}

/** Resolves a host name to its addresses; replaceable so that tests need no DNS. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

const systemResolve: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;
const MAX_INLINE_JWKS_BYTES = 64 * 1024; // the limit the fetcher applies to a fetched JWKS

function invalid(path: string, message: string): CoreError {
  return new CoreError('validation_failed', `Invalid Singpass client: ${message}`, { issues: [{ path, message }] });
}

export async function registerSingpassClient(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  repository: SingpassStore,
  input: RegisterClientInput,
  resolveHost: ResolveHost = systemResolve,
): Promise<SingpassClientRecord> {
  if (!CLIENT_ID.test(input.clientId))
    throw invalid('client_id', 'client_id must be 1 to 128 visible ASCII characters.');
  if ((input.jwksUrl === undefined) === (input.jwks === undefined))
    throw invalid('jwks_url', 'Give exactly one of a JWKS URL and an inline JWKS.');
  const allowPrivate = input.allowPrivateJwksUrl === true;
  const jwksUrl = input.jwksUrl === undefined ? null : await checkJwksUrl(input.jwksUrl, allowPrivate, resolveHost);
  const jwks = input.jwks === undefined ? null : checkInlineJwks(input.jwks);
  const tenant = await deps.store.transaction((tx) => tx.tenants.get(input.tenantId));
  if (!tenant) throw new CoreError('not_found', 'Tenant not found.');
  const record: SingpassClientRecord = {
    clientId: input.clientId,
    tenantId: input.tenantId,
    jwksUrl,
    jwks,
    allowPrivateJwksUrl: allowPrivate && jwksUrl !== null,
    createdAt: deps.clock.now(),
  };
  if (!(await repository.insertClient(record)))
    throw new CoreError('conflict', 'A Singpass client with this client_id is already registered.');
  return record;
}

async function checkJwksUrl(raw: string, allowPrivate: boolean, resolveHost: ResolveHost): Promise<string> {
  if (raw.length > 2048) throw invalid('jwks_url', 'jwks_url is longer than 2048 characters.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('jwks_url', 'jwks_url is not a valid URL.');
  }
  if (url.username || url.password) throw invalid('jwks_url', 'jwks_url must not carry credentials.');
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw invalid('jwks_url', 'jwks_url must use https.');
  if (allowPrivate) return url.toString();
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) !== 0 ? [host] : await resolveHost(host);
  } catch {
    throw invalid('jwks_url', `the host ${host} does not resolve.`);
  }
  if (addresses.length === 0 || addresses.some(isNonPublicAddress)) {
    throw invalid(
      'jwks_url',
      'the JWKS host is or resolves to a private, loopback or link-local address (an operator may allow it with `countersign singpass-client add --allow-private-jwks-url`).',
    );
  }
  return url.toString();
}

/** An inline key set must hold at least one public EC P-256 signing key with a kid, and no private keys. */
function checkInlineJwks(value: unknown): JSONWebKeySet {
  const keys = typeof value === 'object' && value !== null ? (value as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw invalid('jwks', 'the JWKS must be an object with a "keys" array.');
  if (JSON.stringify(value).length > MAX_INLINE_JWKS_BYTES) throw invalid('jwks', 'the JWKS is larger than 64 KiB.');
  const objects = keys.filter(
    (key): key is Record<string, unknown> => typeof key === 'object' && key !== null && !Array.isArray(key),
  );
  if (objects.some((key) => 'd' in key))
    throw invalid('jwks', 'the JWKS contains a private key; publish only public keys.');
  const usable = objects.filter(
    (key) =>
      key.kty === 'EC' &&
      key.crv === 'P-256' &&
      typeof key.kid === 'string' &&
      key.kid !== '' &&
      typeof key.x === 'string' &&
      typeof key.y === 'string',
  );
  if (usable.length === 0)
    throw invalid('jwks', 'the JWKS has no EC P-256 key with a kid (ES256 is the only algorithm accepted).');
  return { keys: objects } as JSONWebKeySet;
}
