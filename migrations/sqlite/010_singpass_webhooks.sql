-- countersign: foreign-keys-off
-- Singpass Sign v3 success webhooks go through the same endpoints, fan-out and delivery log as the
-- other formats, so webhook_endpoints.format accepts 'singpass' (one endpoint per relying party:
-- external_id is the RP's client_id). SQLite cannot change a CHECK in place: the table is rebuilt
-- the way SQLite documents, with foreign keys off (webhook_attempts refers to it) and checked
-- before the migration commits (migrate.ts).
CREATE TABLE webhook_endpoints_010 (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  format TEXT NOT NULL CHECK (format IN ('native','lumin','taktikal','auco','singpass')),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  sealed_secret TEXT,
  sealed_header TEXT,
  description TEXT,
  external_id TEXT,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
INSERT INTO webhook_endpoints_010 (id, tenant_id, format, url, events, sealed_secret, sealed_header, description, external_id, created_at, disabled_at)
  SELECT id, tenant_id, format, url, events, sealed_secret, sealed_header, description, external_id, created_at, disabled_at FROM webhook_endpoints;
DROP TABLE webhook_endpoints;
ALTER TABLE webhook_endpoints_010 RENAME TO webhook_endpoints;
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, format);
CREATE UNIQUE INDEX webhook_endpoints_external ON webhook_endpoints (tenant_id, format, external_id)
  WHERE external_id IS NOT NULL AND disabled_at IS NULL;
