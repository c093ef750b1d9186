/**
 * Where the database is chosen: the composition root (src/main.ts), the CLI and the benchmarks
 * open the store here and nowhere else. Embedded SQLite in the data dir today; a PostgreSQL
 * backend adds its branch here and implements the same `OpenedStore`.
 */
import { join, resolve } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { OpenedStore } from './store-tx.js';

export type { OpenedStore, StoreTx } from './store-tx.js';
export { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../security/private-files.js';

export function databasePath(config: { readonly dataDir: string }): string {
  return join(resolve(config.dataDir), 'countersign.sqlite');
}

/** Opens the data dir's store; a fresh data dir is migrated on first open unless `migrate` is false. */
export function openStore(config: { readonly dataDir: string }, options: { migrate?: boolean } = {}): OpenedStore {
  return new SqliteStore({ path: databasePath(config), migrate: options.migrate ?? true });
}
