-- KAiZEN RequestNo ("KAiZEN-118"): one counter per tenant, incremented by a single atomic
-- upsert, so two concurrent InitiateSignRequest calls never get the same number.
CREATE TABLE kaizen_request_numbers (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  last_number INTEGER NOT NULL
);

-- Auco PUT /company replaces the webhook list wholesale and reuses its ids ("default"): the old
-- endpoints are disabled (deliveries keep pointing at them) and new ones take the same external id.
-- External ids are therefore unique among a tenant's live endpoints only.
DROP INDEX webhook_endpoints_external;
CREATE UNIQUE INDEX webhook_endpoints_external ON webhook_endpoints (tenant_id, format, external_id)
  WHERE external_id IS NOT NULL AND disabled_at IS NULL;
