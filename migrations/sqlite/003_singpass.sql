-- Singpass Sign v3 surface (src/providers/singpass): the relying parties (RPs) registered per
-- tenant, the RP token ids (jti) already used, and the Singpass-side facts of each sign request.

-- An RP authenticates with ES256 JWTs checked against its JWKS: fetched from jwks_url, or inline.
-- allow_private_jwks_url: the operator let this RP's JWKS URL be on a private/loopback host
-- (set only through the CLI; the admin API never sets it).
CREATE TABLE singpass_clients (
  client_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  jwks_url TEXT,
  jwks_json TEXT,
  allow_private_jwks_url INTEGER NOT NULL DEFAULT 0 CHECK (allow_private_jwks_url IN (0, 1)),
  created_at INTEGER NOT NULL,
  CHECK ((jwks_url IS NULL) <> (jwks_json IS NULL))
);
CREATE INDEX singpass_clients_tenant ON singpass_clients (tenant_id, created_at);

-- Replay protection: a jti is accepted once per client. Rows are useless after expires_at (the
-- token would be refused as expired anyway) and are pruned opportunistically.
CREATE TABLE singpass_used_jtis (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
) WITHOUT ROWID;
CREATE INDEX singpass_used_jtis_expiry ON singpass_used_jtis (expires_at);

-- One row per sign request initiated through the surface. request_id (signv3-<uuid>) is also a
-- request alias (kind singpass_request_id), through which the core request is found. Only the
-- sha256 of the exchange_code is kept. signing_location: the {x, y, page} the RP asked for.
CREATE TABLE singpass_sign_requests (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  client_id TEXT NOT NULL REFERENCES singpass_clients(client_id),
  exchange_code_hash TEXT NOT NULL UNIQUE,
  signing_location TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX singpass_sign_requests_client ON singpass_sign_requests (client_id, created_at);
