-- Delivery: what the outbox worker needs beside the core's outbox table.

-- When the row was first attempted. Retry windows and the worker's max age count from here, not
-- from created_at, so a delayed row (purge after 30 days) or a worker outage never dead-letters a
-- row that was not even tried. Set by the first claim; reset by a replay.
ALTER TABLE outbox ADD COLUMN first_attempt_at INTEGER;
CREATE INDEX outbox_tenant_status ON outbox (tenant_id, status, id);

-- Mails kept in the database when no SMTP server is configured (the embedded default), readable
-- through GET /v1/mails and `countersign mails list`. Attachments are summarised, never stored:
-- a purged document must not survive here.
CREATE TABLE mails (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  -- The outbox row's key (row id, or row id + ':owner-copy'): a redelivery stores nothing new.
  idempotency_key TEXT NOT NULL UNIQUE,
  message_id TEXT NOT NULL,
  outbox_id TEXT NOT NULL,
  template TEXT NOT NULL,
  request_id TEXT,
  to_address TEXT NOT NULL,
  to_name TEXT,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  headers TEXT NOT NULL,
  attachments TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX mails_tenant ON mails (tenant_id, id);

-- Renditions stored beside an original document, e.g. the VOID-stamped copy of a cancelled
-- request whose original is retained. Deleted together with the original's bytes on purge.
CREATE TABLE document_copies (
  document_id TEXT NOT NULL REFERENCES documents(id),
  kind TEXT NOT NULL CHECK (kind IN ('void')),
  content BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (document_id, kind)
);
