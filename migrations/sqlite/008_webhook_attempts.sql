-- Every webhook delivery attempt, successful or not, for GET /v1/webhooks/{id}/deliveries.
-- delivery_id is the outbox row that carried the delivery: a replay is a new row, so a new series
-- of attempts with the same event_id (the key receivers de-duplicate on).
CREATE TABLE webhook_attempts (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
  event_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  response_snippet TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (tenant_id, endpoint_id, id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);

-- The worker claims due rows ORDER BY available_at, id. With (status, available_at) alone SQLite
-- sorts every row sharing an available_at for each claim (a 10,000-request batch cancel writes
-- them all with the same time): with id in the index the claim reads just the rows it takes.
CREATE INDEX outbox_due ON outbox (status, available_at, id);
DROP INDEX outbox_ready;
