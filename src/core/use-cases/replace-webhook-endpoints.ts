/**
 * Replaces a tenant's webhook endpoints of one provider format wholesale (Auco PUT /company), or
 * only those with one external id (a Singpass relying party's), in one transaction: the live ones
 * are disabled (never deleted: their delivery log keeps pointing at them) and the new ones
 * inserted, with an audit event that names URLs but never secrets.
 */
import { AuditWriter } from '../audit.js';
import type { CallContext } from '../model.js';
import type { CoreDeps, WebhookEndpointRecord } from '../ports.js';

/** The caller made the id (sealed secrets and headers are bound to it) and sealed what is secret. */
export type NewWebhookEndpoint = Omit<WebhookEndpointRecord, 'tenantId' | 'format' | 'createdAt' | 'disabledAt'>;

export async function replaceWebhookEndpoints(
  deps: CoreDeps,
  tenantId: string,
  format: WebhookEndpointRecord['format'],
  endpoints: readonly NewWebhookEndpoint[],
  context: CallContext,
  scope: { readonly externalId?: string } = {},
): Promise<WebhookEndpointRecord[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const previous = (await tx.webhookEndpoints.listForTenant(tenantId, format)).filter(
      (endpoint) =>
        endpoint.disabledAt === null && (scope.externalId === undefined || endpoint.externalId === scope.externalId),
    );
    for (const endpoint of previous) await tx.webhookEndpoints.disable(tenantId, endpoint.id, now);
    const created = endpoints.map((endpoint): WebhookEndpointRecord => ({
      ...endpoint,
      tenantId,
      format,
      createdAt: now,
      disabledAt: null,
    }));
    for (const endpoint of created) await tx.webhookEndpoints.insert(endpoint);
    await new AuditWriter(tx, deps.ids, context, now).append({
      tenantId,
      requestId: null,
      type: 'webhooks.replaced',
      data: {
        format,
        disabled: previous.map((endpoint) => endpoint.id),
        endpoints: created.map((endpoint) => ({
          id: endpoint.id,
          external_id: endpoint.externalId,
          url: endpoint.url,
          has_header: endpoint.sealedHeader !== null,
        })),
      },
    });
    return created;
  });
}

export async function listWebhookEndpoints(
  deps: CoreDeps,
  tenantId: string,
  format: WebhookEndpointRecord['format'],
): Promise<WebhookEndpointRecord[]> {
  const endpoints = await deps.store.read((tx) => tx.webhookEndpoints.listForTenant(tenantId, format));
  return endpoints.filter((endpoint) => endpoint.disabledAt === null);
}
