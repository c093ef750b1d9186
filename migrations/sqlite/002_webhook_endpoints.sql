-- Webhook endpoints registered per tenant, natively (/v1/webhooks) or through a provider
-- surface (Lumin callback, Taktikal webhook, Auco PUT /company). `format` picks the payload,
-- signature and retry schedule. Secrets are sealed (AES-GCM under the server key), never plain.
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  format TEXT NOT NULL CHECK (format IN ('native','lumin','taktikal','auco')),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  sealed_secret TEXT,
  sealed_header TEXT,
  description TEXT,
  external_id TEXT,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, format);
CREATE UNIQUE INDEX webhook_endpoints_external ON webhook_endpoints (tenant_id, format, external_id) WHERE external_id IS NOT NULL;

-- Sequences can carry the id a surface showed for them (a Taktikal SequenceKey "pg…").
ALTER TABLE sequences ADD COLUMN alias TEXT;
CREATE UNIQUE INDEX sequences_alias ON sequences (tenant_id, alias) WHERE alias IS NOT NULL;
