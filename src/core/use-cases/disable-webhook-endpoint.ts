/**
 * Disables one webhook endpoint (native `DELETE /v1/webhooks/{id}`, Taktikal `DELETE /webhook`),
 * never deleting it: its delivery log keeps pointing at it. The change and its audit event
 * (`webhooks.replaced`, nothing created) commit together; disabling again changes nothing and is
 * not audited again. Another tenant's id, or (with `format`) another format's, is not found.
 */
import type { CallContext } from '../model.js';
import type { CoreDeps, WebhookEndpointRecord } from '../ports.js';
import { auditWebhookChange, type WebhookFormat } from '../webhook-endpoints.js';

export interface DisabledWebhookEndpoint {
  readonly endpoint: WebhookEndpointRecord;
  /** False when it was already disabled. */
  readonly disabledNow: boolean;
}

export async function disableWebhookEndpoint(
  deps: CoreDeps,
  tenantId: string,
  id: string,
  context: CallContext,
  options: { readonly format?: WebhookFormat } = {},
): Promise<DisabledWebhookEndpoint | undefined> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoints.get(tenantId, id);
    if (!endpoint || (options.format !== undefined && endpoint.format !== options.format)) return undefined;
    if (endpoint.disabledAt !== null) return { endpoint, disabledNow: false };
    await tx.webhookEndpoints.disable(tenantId, id, now);
    await auditWebhookChange(tx, deps, context, now, {
      tenantId,
      format: endpoint.format,
      disabled: [endpoint],
      created: [],
    });
    return { endpoint: { ...endpoint, disabledAt: now }, disabledNow: true };
  });
}
