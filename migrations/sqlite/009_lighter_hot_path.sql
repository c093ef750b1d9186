-- Fewer b-tree writes per transition (issue 2's benchmark: every cancel pays for each index it touches).

-- The expiry sweep only ever looks for pending and partially signed requests: index just those, so a
-- cancel (or a signature that completes a request) deletes one entry instead of moving it.
DROP INDEX signature_requests_due;
CREATE INDEX signature_requests_due ON signature_requests (expires_at) WHERE status IN ('pending', 'partially_signed');

-- audit_events.seq drops AUTOINCREMENT: the table is append-only, so max(seq) + 1 is already
-- monotonic, and AUTOINCREMENT cost a write to sqlite_sequence on every event. A truncated chain
-- is still caught by audit_heads (verifyAuditChain's head check), whatever seq a new row then gets.
CREATE TABLE audit_events_009 (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  request_id TEXT,
  type TEXT NOT NULL,
  actor TEXT NOT NULL,
  surface TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT,
  reason TEXT,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_events_009 SELECT seq, id, tenant_id, request_id, type, actor, surface, ip, user_agent, reason, data,
  created_at, prev_hash, hash FROM audit_events ORDER BY seq;
DROP TABLE audit_events;
ALTER TABLE audit_events_009 RENAME TO audit_events;
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, seq);
CREATE INDEX audit_events_request ON audit_events (request_id, seq);
DELETE FROM sqlite_sequence WHERE name IN ('audit_events', 'audit_events_009');

-- The outbox keyed by its id alone (WITHOUT ROWID): a rowid table kept every row's id twice, in the
-- table and in the primary key's own index, so each queued side effect wrote one b-tree more.
-- Per-tenant listings (dead letters, delivered history) use partial indexes of finished rows;
-- pending rows are found through outbox_due. Queuing a row writes no tenant index at all (the old
-- outbox_tenant_status indexed every row).
CREATE TABLE outbox_009 (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  last_error TEXT,
  completed_at INTEGER,
  first_attempt_at INTEGER
) WITHOUT ROWID;
INSERT INTO outbox_009 SELECT id, tenant_id, topic, payload, status, attempts, available_at, created_at, lease_owner,
  lease_expires_at, last_error, completed_at, first_attempt_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_009 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, available_at, id);
CREATE INDEX outbox_tenant_dead ON outbox (tenant_id, id) WHERE status = 'dead';
CREATE INDEX outbox_tenant_done ON outbox (tenant_id, id) WHERE status = 'done';
