/**
 * Registers one webhook endpoint (native `POST /v1/webhooks`, Taktikal `POST /webhook`): its URL
 * through the one policy, then the endpoint and its audit event (`webhooks.replaced`, nothing
 * disabled) in one transaction. `maxLive` caps a format's live endpoints (Taktikal: 20), counted
 * in the same transaction.
 */
import { CoreError } from '../errors.js';
import type { CallContext } from '../model.js';
import type { CoreDeps, WebhookEndpointRecord } from '../ports.js';
import {
  acceptedWebhookUrls,
  auditWebhookChange,
  endpointRecord,
  type NewWebhookEndpoint,
  type WebhookFormat,
} from '../webhook-endpoints.js';

export interface WebhookRegistration {
  readonly tenantId: string;
  readonly format: WebhookFormat;
  readonly endpoint: NewWebhookEndpoint;
  readonly context: CallContext;
  readonly maxLive?: number;
}

export async function registerWebhookEndpoint(
  deps: CoreDeps,
  registration: WebhookRegistration,
): Promise<WebhookEndpointRecord> {
  const { tenantId, format, maxLive } = registration;
  const [url] = await acceptedWebhookUrls(deps, [registration.endpoint]);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    if (maxLive !== undefined) {
      const live = (await tx.webhookEndpoints.listForTenant(tenantId, format)).filter(
        (endpoint) => endpoint.disabledAt === null,
      );
      if (live.length >= maxLive)
        throw new CoreError('validation_failed', `At most ${maxLive} webhooks; delete one first.`);
    }
    const created = endpointRecord(registration.endpoint, url!, tenantId, format, now);
    await tx.webhookEndpoints.insert(created);
    await auditWebhookChange(tx, deps, registration.context, now, {
      tenantId,
      format,
      disabled: [],
      created: [created],
    });
    return created;
  });
}
