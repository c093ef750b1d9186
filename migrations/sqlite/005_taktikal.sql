-- The Taktikal surface's own data: what a Taktikal client sent that the core has no column for
-- (flowKey, meta, the signees' ssn/phone/address/delivery type, …), echoed back in SigningProcess,
-- activity logs and webhooks. The ProcessKey itself is a request alias (taktikal_process_key) and
-- the SequenceKey a sequence alias; signee keys are derived from signer ids, so nothing here is
-- needed to find a process, only to show it.
CREATE TABLE taktikal_processes (
  request_id TEXT PRIMARY KEY REFERENCES signature_requests(id),
  tenant_id TEXT NOT NULL,
  process_key TEXT NOT NULL,
  details TEXT NOT NULL -- JSON: process fields, and signee fields by signer id
);
CREATE UNIQUE INDEX taktikal_processes_key ON taktikal_processes (tenant_id, process_key);

CREATE TABLE taktikal_sequences (
  sequence_id TEXT PRIMARY KEY REFERENCES sequences(id),
  tenant_id TEXT NOT NULL,
  sequence_key TEXT NOT NULL,
  details TEXT NOT NULL -- JSON: user, requiresAuth, signInOrder
);
CREATE UNIQUE INDEX taktikal_sequences_key ON taktikal_sequences (tenant_id, sequence_key);
