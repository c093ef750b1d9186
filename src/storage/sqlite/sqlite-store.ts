/**
 * The embedded store: one better-sqlite3 connection per process, WAL, and write transactions
 * taken with BEGIN IMMEDIATE so that two processes on the same file (a server and the CLI) queue
 * on the lock instead of failing on a lock upgrade. In-process, an async mutex serializes every
 * use of the connection: a transaction's awaits never interleave with another caller's queries,
 * and write transactions that wait together share one COMMIT (group-commit.ts).
 */
import Database from 'better-sqlite3';
import type { StorageMaintenance } from '../../delivery/ports.js';
import type { OpenedStore, StoreTx } from '../store-tx.js';
import { migrate } from './migrate.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { createSqliteTx } from './create-sqlite-tx.js';
import { createSqliteMaintenance } from './document-copy-repository.js';
import { GroupCommitter } from './group-commit.js';
import { preparePrivateDatabaseFiles } from '../../security/private-files.js';

export interface SqliteStoreOptions {
  /** Path of the database file, or ':memory:'. */
  readonly path: string;
  /** Apply pending migrations on open (a fresh data dir is migrated on first start). */
  readonly migrate?: boolean;
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export class SqliteStore implements OpenedStore {
  /** The connection: storage's own (its tests read it); nothing outside src/storage is given it. */
  readonly db: Database.Database;
  readonly maintenance: StorageMaintenance;
  private repositories: StoreTx | undefined;
  private benchUpdate: Database.Statement | undefined;
  private readonly mutex = new Mutex();
  private readonly committer: GroupCommitter;
  private readonly checkpointer: BackgroundCheckpointer | undefined;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') preparePrivateDatabaseFiles(options.path);
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
    // Purged document bytes are overwritten with zeros, not merely unlinked from the b-tree.
    this.db.pragma('secure_delete = ON');
    // Reads of pages already in the database file go through the memory map (256 MiB), so document
    // bytes never crowd index pages out of the page cache. The cache itself stays small: SQLite
    // scans it at every COMMIT, and at 64 MiB that scan cost ~4-7% of a cancel (perf, BENCHMARKS.md).
    this.db.pragma('cache_size = -8000');
    // Statement journals and temporary b-trees in memory rather than temp files (measured: single
    // cancel ~3,800 -> ~4,800 req/s; BENCHMARKS.md).
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('mmap_size = 268435456');
    if (options.migrate !== false) migrate(this.db);
    this.checkpointer = options.path === ':memory:' ? undefined : new BackgroundCheckpointer(options.path);
    this.committer = new GroupCommitter(
      this.db,
      (fn) => this.mutex.run(fn),
      () => this.checkpointer?.committed(),
    );
    this.maintenance = createSqliteMaintenance(this.db);
  }

  /** Statements are prepared on first use, so a store opened before `migrate` can still migrate. */
  private get tx(): StoreTx {
    this.repositories ??= createSqliteTx(this.db);
    return this.repositories;
  }

  /** Write transactions waiting together share one COMMIT (see group-commit.ts); each stays atomic. */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.committer.submit(() => fn(this.tx));
  }

  async read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.db.exec('BEGIN DEFERRED');
      try {
        return await fn(this.tx);
      } finally {
        if (this.db.inTransaction) this.db.exec('COMMIT');
      }
    });
  }

  /** Under the connection's lock, like a transaction: each migration commits on its own (migrate.ts). */
  async migrate(): Promise<string[]> {
    return this.mutex.run(async () => migrate(this.db));
  }

  async benchBareUpdate(requestId: string, now: number): Promise<number> {
    // Deliberately no lock and no BEGIN: the baseline is the cost of one autocommit UPDATE behind
    // HTTP. Safe only because the benchmark runs it alone (inside another caller's open
    // transaction it would join that transaction).
    this.benchUpdate ??= this.db.prepare('UPDATE signature_requests SET updated_at = ? WHERE id = ?');
    return this.benchUpdate.run(now, requestId).changes;
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      await this.checkpointer?.close();
      this.db.close();
    });
  }
}
