/**
 * Multi-row INSERTs: one statement per chunk of rows instead of one per row. Each statement
 * execution has a fixed cost (binding, the VDBE program, resetting) that dominated inserting the
 * three outbox rows of a cancel, and the 40,000 rows of a 10,000-request batch cancel.
 */
import type Database from 'better-sqlite3';

/** Rows per statement: 100 rows of 13 columns stay far below SQLite's 32,766 bound parameters. */
const CHUNK = 100;

export type InsertRows = (rows: readonly (readonly unknown[])[]) => Database.RunResult | undefined;

/**
 * `INSERT INTO table (columns) VALUES (…), (…)`, prepared once per row count. Returns the
 * result of the last chunk (its lastInsertRowid is the last row's), undefined for no rows.
 */
export function multiRowInsert(db: Database.Database, table: string, columns: readonly string[]): InsertRows {
  const statements = new Map<number, Database.Statement>();
  const row = `(${columns.map(() => '?').join(', ')})`;
  const statementFor = (count: number): Database.Statement => {
    let statement = statements.get(count);
    if (!statement) {
      statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => row).join(', ')}`);
      statements.set(count, statement);
    }
    return statement;
  };
  return (rows) => {
    let result: Database.RunResult | undefined;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      result = statementFor(chunk.length).run(chunk.flat());
    }
    return result;
  };
}
