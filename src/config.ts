/**
 * The configuration schema: parsed once at start, the only reader of the environment.
 * Command-line flags override environment variables, which override the defaults.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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
  signSessionMinutes: z.coerce.number().positive().max(24 * 60).default(30),
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
    serverKey: env.COUNTERSIGN_SERVER_KEY,
    benchRoutes: env.COUNTERSIGN_BENCH_ROUTES === '1' ? true : undefined,
    allowPrivateWebhookTargets: env.COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS === '1' ? true : undefined,
    smtpUrl: env.COUNTERSIGN_SMTP_URL,
    mailFrom: env.COUNTERSIGN_MAIL_FROM,
    workerEnabled: env.COUNTERSIGN_WORKER === undefined || env.COUNTERSIGN_WORKER === '' ? undefined : !['0', 'false', 'off', 'no'].includes(env.COUNTERSIGN_WORKER.toLowerCase()),
    workerLeaseSeconds: env.COUNTERSIGN_WORKER_LEASE_SECONDS,
    workerConcurrency: env.COUNTERSIGN_WORKER_CONCURRENCY,
    outboxRetentionDays: env.COUNTERSIGN_OUTBOX_RETENTION_DAYS,
  };
  const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== ''));
  return configSchema.parse({ ...defined(fromEnv), ...defined(overrides) });
}
