/**
 * Replaces a tenant's webhook endpoints of one provider format wholesale (Auco PUT /company, the
 * Lumin callback), or only those with one external id (a Singpass relying party's): every URL
 * through the one policy first, then, in one transaction, the live ones disabled (never deleted:
 * their delivery log keeps pointing at them), the new ones inserted, and the audit event that
 * names URLs but never secrets.
 */
import type { CallContext } from '../model.js';
import type { CoreDeps, WebhookEndpointRecord } from '../ports.js';
import {
  acceptedWebhookUrls,
  auditWebhookChange,
  endpointRecord,
  type NewWebhookEndpoint,
  type WebhookFormat,
} from '../webhook-endpoints.js';

export async function replaceWebhookEndpoints(
  deps: CoreDeps,
  tenantId: string,
  format: WebhookFormat,
  endpoints: readonly NewWebhookEndpoint[],
  context: CallContext,
  scope: { readonly externalId?: string } = {},
): Promise<WebhookEndpointRecord[]> {
  const urls = await acceptedWebhookUrls(deps, endpoints);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const previous = (await tx.webhookEndpoints.listForTenant(tenantId, format)).filter(
      (endpoint) =>
        endpoint.disabledAt === null && (scope.externalId === undefined || endpoint.externalId === scope.externalId),
    );
    for (const endpoint of previous) await tx.webhookEndpoints.disable(tenantId, endpoint.id, now);
    const created = endpoints.map((endpoint, index) => endpointRecord(endpoint, urls[index]!, tenantId, format, now));
    for (const endpoint of created) await tx.webhookEndpoints.insert(endpoint);
    await auditWebhookChange(tx, deps, context, now, { tenantId, format, disabled: previous, created });
    return created;
  });
}

/** A tenant's live endpoints of one format. */
export async function listWebhookEndpoints(
  deps: CoreDeps,
  tenantId: string,
  format: WebhookFormat,
): Promise<WebhookEndpointRecord[]> {
  const endpoints = await deps.store.read((tx) => tx.webhookEndpoints.listForTenant(tenantId, format));
  return endpoints.filter((endpoint) => endpoint.disabledAt === null);
}
