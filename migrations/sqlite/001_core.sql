-- Core schema: tenants, credentials, signature requests and their signers, documents,
-- sign sessions, sequences, the audit hash chain, the transactional outbox, idempotency keys.
-- Times are integer milliseconds since the epoch.

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL,
  lookup TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  sealed_secret TEXT,
  UNIQUE (kind, lookup)
);
CREATE INDEX credentials_tenant ON credentials (tenant_id, kind);

CREATE TABLE sequences (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  title TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  filename TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  page_count INTEGER NOT NULL,
  purged_at INTEGER
);

-- The bytes live apart from the metadata so that a purge deletes the row whole
-- (with secure_delete on, its pages are zeroed).
CREATE TABLE document_blobs (
  document_id TEXT PRIMARY KEY REFERENCES documents(id),
  content BLOB NOT NULL
);

CREATE TABLE signature_requests (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','partially_signed','completed','declined','expired','cancelled')),
  owner_email TEXT,
  message TEXT,
  sequence_id TEXT REFERENCES sequences(id),
  document_id TEXT NOT NULL REFERENCES documents(id),
  origin TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  completed_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  cancelled_at INTEGER,
  cancel_actor TEXT,
  cancel_reason TEXT,
  cancel_message TEXT,
  cancel_reason_code TEXT,
  cancel_notify TEXT
);
CREATE INDEX signature_requests_tenant ON signature_requests (tenant_id, id);
CREATE INDEX signature_requests_tenant_status ON signature_requests (tenant_id, status, id);
CREATE INDEX signature_requests_due ON signature_requests (status, expires_at);
CREATE INDEX signature_requests_sequence ON signature_requests (sequence_id);

CREATE TABLE signers (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES signature_requests(id),
  tenant_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT, -- NULL: the signer is reached another way (a Singpass signing URL), never emailed
  sign_order INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting','notified','viewed','in_session','signed','declined')),
  viewed_at INTEGER,
  signed_at INTEGER,
  declined_at INTEGER,
  decline_reason TEXT,
  signature TEXT
);
CREATE INDEX signers_request ON signers (request_id, position);
CREATE INDEX signers_email ON signers (tenant_id, email);

CREATE TABLE request_aliases (
  tenant_id TEXT NOT NULL,
  value TEXT NOT NULL,
  kind TEXT NOT NULL,
  request_id TEXT NOT NULL REFERENCES signature_requests(id),
  PRIMARY KEY (tenant_id, value)
);
CREATE INDEX request_aliases_request ON request_aliases (request_id);

CREATE TABLE sign_sessions (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES signature_requests(id),
  signer_id TEXT NOT NULL REFERENCES signers(id),
  started_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX sign_sessions_request ON sign_sessions (request_id, expires_at);
CREATE INDEX sign_sessions_signer ON sign_sessions (signer_id, expires_at);

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, seq);
CREATE INDEX audit_events_request ON audit_events (request_id, seq);

CREATE TABLE audit_heads (
  tenant_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE outbox (
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
  completed_at INTEGER
);
CREATE INDEX outbox_ready ON outbox (status, available_at);

CREATE TABLE idempotency_keys (
  tenant_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  outcome TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, scope, key)
);
