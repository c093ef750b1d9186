/** The audit trail (`tx.audit`): hash-chained events and each tenant's chain head. */
import type Database from 'better-sqlite3';
import type { AuditRepository, NewAuditEvent } from '../../core/ports.js';
import { multiRowInsert } from './multi-row.js';
import { toAuditEvent, type AuditRow } from './rows.js';

function eventRow(event: NewAuditEvent): unknown[] {
  return [
    event.id,
    event.tenantId,
    event.requestId,
    event.type,
    JSON.stringify(event.actor),
    event.surface,
    event.ip,
    event.userAgent,
    event.reason,
    JSON.stringify(event.data),
    event.createdAt,
    event.prevHash,
    event.hash,
  ];
}

export function createAuditRepository(db: Database.Database): AuditRepository {
  const q = {
    lastHash: db.prepare('SELECT hash FROM audit_heads WHERE tenant_id = ?').pluck(),
    head: db.prepare('SELECT seq, hash FROM audit_heads WHERE tenant_id = ?'),
    upsertHead: db.prepare(`INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`),
    ofRequest: db.prepare('SELECT * FROM audit_events WHERE tenant_id = ? AND request_id = ? ORDER BY seq'),
    ofTenant: db.prepare(
      'SELECT * FROM audit_events WHERE tenant_id = ? AND created_at >= ? AND created_at < ? ORDER BY seq LIMIT ? OFFSET ?',
    ),
    page: db.prepare('SELECT * FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    insertEvents: multiRowInsert(db, 'audit_events', [
      'id',
      'tenant_id',
      'request_id',
      'type',
      'actor',
      'surface',
      'ip',
      'user_agent',
      'reason',
      'data',
      'created_at',
      'prev_hash',
      'hash',
    ]),
  };
  return {
    async lastHash(tenantId) {
      return q.lastHash.get(tenantId) as string | undefined;
    },
    async head(tenantId) {
      return q.head.get(tenantId) as { seq: number; hash: string } | undefined;
    },
    async insertMany(events) {
      // Runs of one tenant at a time, so that each head is the seq of its tenant's last row. The head
      // is a separate statement: as a trigger its UPSERT forced a statement journal on every insert
      // (measured 7 µs -> 18 µs per event).
      for (let start = 0; start < events.length;) {
        let end = start + 1;
        while (end < events.length && events[end]!.tenantId === events[start]!.tenantId) end += 1;
        const run = events.slice(start, end);
        const last = run[run.length - 1]!;
        const result = q.insertEvents(run.map(eventRow));
        q.upsertHead.run(last.tenantId, Number(result!.lastInsertRowid), last.hash);
        start = end;
      }
    },
    async listForRequest(tenantId, requestId) {
      return (q.ofRequest.all(tenantId, requestId) as AuditRow[]).map(toAuditEvent);
    },
    async listForTenant(tenantId, range) {
      const rows = q.ofTenant.all(tenantId, range.from, range.to, range.take, range.skip) as AuditRow[];
      return rows.map(toAuditEvent);
    },
    async page(tenantId, afterSeq, limit) {
      return (q.page.all(tenantId, afterSeq, limit) as AuditRow[]).map(toAuditEvent);
    },
  };
}
