/**
 * Versioned migrations: migrations/sqlite/NNN_name.sql, applied in order, each in its own
 * transaction, recorded in schema_migrations. Applying is idempotent and safe at every start.
 *
 * A migration whose first line is `-- countersign: foreign-keys-off` rebuilds a table that others
 * refer to (SQLite's documented procedure for changes ALTER TABLE cannot make): it runs with
 * foreign keys off, and `PRAGMA foreign_key_check` must find nothing before it commits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/sqlite/', import.meta.url));

export function listMigrations(): { version: number; name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file,
      sql: readFileSync(MIGRATIONS_DIR + file, 'utf8'),
    }));
}

const FOREIGN_KEYS_OFF = /^-- countersign: foreign-keys-off\s*$/m;

/** Applies pending migrations; returns the names applied. */
export function migrate(db: Database.Database): string[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const done: string[] = [];
  for (const migration of listMigrations()) {
    if (applied.has(migration.version)) continue;
    const rebuild = FOREIGN_KEYS_OFF.test(migration.sql.split('\n', 1)[0]!);
    // The pragma is a no-op inside a transaction: it is switched around it.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (rebuild) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(
              `${migration.name} leaves ${broken.length} broken foreign keys: ${JSON.stringify(broken.slice(0, 5))}`,
            );
        }
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          Date.now(),
        );
      }).immediate();
    } finally {
      if (rebuild) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
    done.push(migration.name);
  }
  return done;
}
