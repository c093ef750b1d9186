/**
 * The configuration schema: parsed once at start, the only reader of the environment.
 * Command-line flags override environment variables, which override the defaults.
 */
import { z } from 'zod';

export const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().default('127.0.0.1'),
  /** Everything the embedded default keeps: the SQLite file and the server key. */
  dataDir: z.string().default('./data'),
  /** The base URL people and clients reach this server at (signing links, webhook details_url). */
  publicUrl: z.string().url().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Length of a "Proceed to Sign" session. */
  signSessionMinutes: z.coerce.number().positive().max(24 * 60).default(30),
  /** 32+ byte secret shared by every server process (signing links, sealed secrets); generated into dataDir when absent. */
  serverKey: z.string().min(32).optional(),
  /** Extra routes used by `npm run bench` only (a bare one-UPDATE endpoint). Never enable in production. */
  benchRoutes: z.coerce.boolean().default(false),
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
  };
  const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== ''));
  return configSchema.parse({ ...defined(fromEnv), ...defined(overrides) });
}
