/**
 * The database holds sealed secrets, credential hashes, documents and the audit trail: its files
 * are readable by the server's user only, whatever the process umask. SQLite creates the -wal,
 * -shm and -journal files with the permissions of the database file, so creating that file 0600
 * before SQLite opens it covers them too; files left by an earlier version are tightened here.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function preparePrivateDatabaseFiles(path: string): void {
  // The mode applies only to directories created here: an existing directory the operator chose is left as it is.
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}
