import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';

storeContract('sqlite', async () => new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'countersign-store-')), 'db.sqlite') }));
