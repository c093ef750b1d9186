/**
 * The configuration schema: parsed once at start, the only reader of the environment.
 * Command-line flags override environment variables, which override the defaults.
 */
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_SIGN_SESSION_COOLDOWN_SECONDS, DEFAULT_SIGN_SESSIONS_PER_SIGNER } from './core/session-rules.js';

/**
 * `COUNTERSIGN_TRUST_PROXY`: false (default), true (trust every hop: only behind a proxy that
 * overwrites X-Forwarded-For), a hop count, or a comma-separated list of proxy addresses/CIDRs.
 */
export function parseTrustProxy(text: string): boolean | number | string[] {
  const value = text.trim().toLowerCase();
  if (value === 'false' || value === '0' || value === 'no' || value === 'off') return false;
  if (value === 'true' || value === 'yes' || value === 'on') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

const proxyAddress = z.string().refine((entry) => {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}, 'must be an IP address or CIDR (e.g. 10.0.0.0/8)');

const listOf = (text: string) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

/**
 * The data dir when none is given: `data/` of this installation, wherever a command runs from.
 * Relative to the working directory, `npm start` (run by npm from the package root) and
 * `npx countersign tenant create` run from a subfolder used two databases, and the new key got 401.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data', import.meta.url));

export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().default('127.0.0.1'),
  /** Everything the embedded default keeps: the SQLite file and the server key. */
  dataDir: z.string().default(DEFAULT_DATA_DIR),
  /** The base URL people and clients reach this server at (signing links, webhook details_url). */
  publicUrl: z.string().url().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Length of a "Proceed to Sign" session. */
  signSessionMinutes: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(30),
  /**
   * After a sign session lapsed unfinished, how long its signer waits before starting another (0: no
   * wait). The gap lets a plain cancel through, which is all the provider surfaces have (ADR 7).
   */
  signSessionCooldownSeconds: z.coerce.number().int().min(0).max(86_400).default(DEFAULT_SIGN_SESSION_COOLDOWN_SECONDS),
  /** Sign sessions one signer may start on one request: bounds how long a signer can hold off a cancel (ADR 7). */
  signSessionsPerSigner: z.coerce.number().int().min(1).max(1000).default(DEFAULT_SIGN_SESSIONS_PER_SIGNER),
  /** 32+ byte secret shared by every server process (signing links, sealed secrets); generated into dataDir when absent. */
  serverKey: z.string().min(32).optional(),
  /** Extra routes used by `npm run bench` only (a bare one-UPDATE endpoint). Never enable in production. */
  benchRoutes: z.coerce.boolean().default(false),
  /** Webhook URLs on private, loopback and link-local addresses (self-hosted receivers). Off: SSRF protection. */
  allowPrivateWebhookTargets: z.coerce.boolean().default(false),
  /** `smtp://user:pass@host:587` or `smtps://…`; without it mails are kept in the database (GET /v1/mails). */
  smtpUrl: z.string().optional(),
  /** The From header of every mail; its domain also names the Message-IDs. */
  mailFrom: z.string().default('Countersign <no-reply@countersign.local>'),
  /** Run the outbox worker (mails, webhooks, retention, expiry) inside the server process. */
  workerEnabled: z.boolean().default(true),
  /** How long a worker holds a claimed outbox row; a crashed worker's rows are retried after it. */
  workerLeaseSeconds: z.coerce.number().int().min(1).max(3600).default(300),
  /**
   * Outbox rows a worker handles at the same time. 32 measured ~25% less CPU per webhook than 8
   * (fewer, larger claims; more transactions sharing a COMMIT) and keeps one slow receiver from
   * holding every slot (BENCHMARKS.md).
   */
  workerConcurrency: z.coerce.number().int().min(1).max(256).default(32),
  /**
   * Delivered outbox rows are deleted this many days after delivery (the webhook attempt log and
   * the mail archive keep their own records). At least 7: longer than any retry series (3 days),
   * so a late retry of an event never finds its deliveries gone and delivers them twice.
   */
  outboxRetentionDays: z.coerce.number().int().min(7).max(3650).default(14),
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify's trustProxy). It decides request.ip: the
   * address the authentication throttle counts and the audit trail records. Off by default: the
   * socket's peer is the client.
   */
  trustProxy: z.union([z.boolean(), z.number().int().min(1).max(32), z.array(proxyAddress).min(1)]).default(false),
  /**
   * Failed authentications (wrong or missing credentials, forged signing links) one client address
   * may make per window before every request from it is answered 429, credentials unchecked.
   * 20 lets a misconfigured client retry a few times; brute force gets 20 guesses per 15 minutes.
   */
  authFailuresPerAddress: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /**
   * Failures per credential lookup (the non-secret part of a key, a JWT's client id, a Basic
   * user) per window, from all addresses together: slows a distributed guess at one key. Higher
   * than the per-address limit, so one address alone can never lock a key out.
   */
  authFailuresPerCredential: z.coerce.number().int().min(1).max(1_000_000).default(100),
  authFailureWindowSeconds: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Lumin's documented quota: requests per credential on send and on get (0: no quota). */
  luminRequestsPerWindow: z.coerce.number().int().min(0).max(10_000_000).default(3000),
  luminQuotaWindowSeconds: z.coerce.number().int().min(1).max(86_400).default(1800),
  /**
   * The operator's PKCS#12 file (certificate and private key) that seals completed documents and
   * VOID copies. Without it a self-signed certificate is generated once into dataDir (seal.pem).
   */
  sealP12: z.string().min(1).optional(),
  /** The P12's password. A secret: never logged. */
  sealP12Password: z.string().optional(),
  /** An RFC 3161 timestamp authority (http or https): seals become PAdES B-T instead of B-B. */
  tsaUrl: z
    .string()
    .url()
    .refine((url) => /^https?:$/.test(new URL(url).protocol), 'must be an http or https URL')
    .optional(),
  /** Browser origins allowed to call the API cross-origin (CORS). Empty: CORS off. */
  corsOrigins: z
    .array(
      z
        .string()
        .url()
        .refine((url) => new URL(url).origin === url, 'must be an origin: scheme://host[:port], no path'),
    )
    .default([]),
});

export type Config = z.infer<typeof configSchema>;

/** Reads the environment into a config; `overrides` (from CLI flags) win. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const fromEnv = {
    port: env.PORT,
    host: env.HOST ?? env.COUNTERSIGN_HOST,
    dataDir: env.COUNTERSIGN_DATA_DIR,
    publicUrl: env.COUNTERSIGN_PUBLIC_URL,
    logLevel: env.LOG_LEVEL ?? env.COUNTERSIGN_LOG_LEVEL,
    signSessionMinutes: env.COUNTERSIGN_SIGN_SESSION_MINUTES,
    signSessionCooldownSeconds: env.COUNTERSIGN_SIGN_SESSION_COOLDOWN_SECONDS,
    signSessionsPerSigner: env.COUNTERSIGN_SIGN_SESSIONS_PER_SIGNER,
    serverKey: env.COUNTERSIGN_SERVER_KEY,
    benchRoutes: env.COUNTERSIGN_BENCH_ROUTES === '1' ? true : undefined,
    allowPrivateWebhookTargets: env.COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS === '1' ? true : undefined,
    smtpUrl: env.COUNTERSIGN_SMTP_URL,
    mailFrom: env.COUNTERSIGN_MAIL_FROM,
    workerEnabled:
      env.COUNTERSIGN_WORKER === undefined || env.COUNTERSIGN_WORKER === ''
        ? undefined
        : !['0', 'false', 'off', 'no'].includes(env.COUNTERSIGN_WORKER.toLowerCase()),
    workerLeaseSeconds: env.COUNTERSIGN_WORKER_LEASE_SECONDS,
    workerConcurrency: env.COUNTERSIGN_WORKER_CONCURRENCY,
    outboxRetentionDays: env.COUNTERSIGN_OUTBOX_RETENTION_DAYS,
    trustProxy:
      env.COUNTERSIGN_TRUST_PROXY === undefined || env.COUNTERSIGN_TRUST_PROXY.trim() === ''
        ? undefined
        : parseTrustProxy(env.COUNTERSIGN_TRUST_PROXY),
    authFailuresPerAddress: env.COUNTERSIGN_AUTH_FAILURES_PER_ADDRESS,
    authFailuresPerCredential: env.COUNTERSIGN_AUTH_FAILURES_PER_CREDENTIAL,
    authFailureWindowSeconds: env.COUNTERSIGN_AUTH_FAILURE_WINDOW_SECONDS,
    luminRequestsPerWindow: env.COUNTERSIGN_LUMIN_REQUESTS_PER_WINDOW,
    luminQuotaWindowSeconds: env.COUNTERSIGN_LUMIN_QUOTA_WINDOW_SECONDS,
    sealP12: env.COUNTERSIGN_SEAL_P12,
    sealP12Password: env.COUNTERSIGN_SEAL_P12_PASSWORD,
    tsaUrl: env.COUNTERSIGN_TSA_URL,
    corsOrigins: env.COUNTERSIGN_CORS_ORIGINS === undefined ? undefined : listOf(env.COUNTERSIGN_CORS_ORIGINS),
  };
  const defined = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== ''));
  return configSchema.parse({ ...defined(fromEnv), ...defined(overrides) });
}
