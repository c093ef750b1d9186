// The checkpoint thread of checkpointer.ts (plain CommonJS: it runs without the TypeScript loader).
// Its own connection copies committed WAL frames into the database file. It sleeps on a shared
// commit counter, so it needs nothing from the main thread's event loop.
'use strict';
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const COMMITS = 0;
const CLOSING = 1;
const PAUSE_MS = 5;
const shared = new Int32Array(workerData.shared);
const idle = new Int32Array(new SharedArrayBuffer(4));

const db = new Database(workerData.path);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');

// close() sets CLOSING and then moves the counter, so whichever comes first, this loop ends.
let covered = 0; // the commit count the last checkpoint started after
while (Atomics.load(shared, CLOSING) === 0) {
  const commits = Atomics.load(shared, COMMITS);
  if (commits === covered) {
    Atomics.wait(shared, COMMITS, covered);
    continue;
  }
  covered = commits;
  try {
    // PASSIVE: copies what no reader still needs; never waits for, or blocks, a writer.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing: the main connection's automatic checkpoint still runs.
  }
  // Let a few commits gather: a checkpoint per commit would mostly pay for fsync.
  Atomics.wait(idle, 0, 0, PAUSE_MS);
}
db.close();
