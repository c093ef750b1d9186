/**
 * WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses its threshold, on the committing thread: in the server that is the event loop, and it
 * was ~15% of a cancel's time in-process (BENCHMARKS.md). Here a second connection on its own
 * thread copies committed frames into the database file while the event loop goes on.
 *
 * The main connection keeps SQLite's automatic checkpoint: it still restarts the WAL from the
 * beginning when it has grown, but finds the frames already copied. If the thread fails, the
 * automatic checkpoint simply does all the work again, as before.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_FILE = new URL('./checkpoint-worker.cjs', import.meta.url);
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');
/** Slots of the shared Int32Array (checkpoint-worker.cjs reads the same). */
const COMMITS = 0;
const CLOSING = 1;

export class BackgroundCheckpointer {
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private failed = false;

  constructor(private readonly path: string) {}

  /** Called after every COMMIT of the main connection: wakes the thread (started on first use). */
  committed(): void {
    if (this.failed || Atomics.load(this.shared, CLOSING) === 1) return;
    this.worker ??= this.start();
    Atomics.add(this.shared, COMMITS, 1);
    Atomics.notify(this.shared, COMMITS);
  }

  /** True once the thread has failed (it is not restarted; SQLite's own checkpoint carries on). */
  get hasFailed(): boolean {
    return this.failed;
  }

  async close(): Promise<void> {
    Atomics.store(this.shared, CLOSING, 1);
    // Moving the counter too: the thread may be about to wait on the value it last saw.
    Atomics.add(this.shared, COMMITS, 1);
    Atomics.notify(this.shared, COMMITS);
    this.worker?.ref();
    await this.exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_FILE, {
      workerData: { path: this.path, driver: DRIVER, shared: this.shared.buffer },
    });
    // Never keeps the process alive: the main connection's own checkpoint covers whatever is left.
    worker.unref();
    worker.on('error', () => (this.failed = true));
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    return worker;
  }
}
