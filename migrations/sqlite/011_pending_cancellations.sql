-- Deferred cancellations (ADR 7): a cancel the sender asked for while a signer was in a sign session,
-- waiting for that session to end. One row per pending cancellation, deleted when it is carried out,
-- refused, superseded or withdrawn (the audit trail keeps its history). The cancel runs later as the
-- sender's own: the row holds what the cancel needs (reason, message, reason code, notify policy,
-- retention) and the call context it came with (actor, surface, ip, user agent) as JSON.
CREATE TABLE pending_cancellations (
  -- The request the sender named; a request of a sequence stands for the whole sequence.
  request_id TEXT PRIMARY KEY REFERENCES signature_requests(id),
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  -- Copied from the request: every member of the sequence finds the row through it.
  sequence_id TEXT,
  requested_at INTEGER NOT NULL,
  context TEXT NOT NULL,
  reason TEXT,
  message TEXT,
  reason_code TEXT,
  notify TEXT NOT NULL,
  retention TEXT NOT NULL
);
-- At most one pending cancellation per sequence (a second defer returns the first).
CREATE UNIQUE INDEX pending_cancellations_sequence ON pending_cancellations (sequence_id) WHERE sequence_id IS NOT NULL;
