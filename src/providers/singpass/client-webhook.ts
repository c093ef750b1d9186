/**
 * A relying party's webhook URL (Singpass takes one at onboarding), for the admin API and the CLI:
 * one live endpoint of format `singpass` per client (external id = client_id), replaced whole.
 * The URL follows the rule of every webhook URL (the core's policy, and again at connect time).
 */
import { CoreError } from '../../core/errors.js';
import type { CallContext } from '../../core/model.js';
import type { WebhookEndpointRecord } from '../../core/ports.js';
import { listWebhookEndpoints, replaceWebhookEndpoints } from '../../core/use-cases/replace-webhook-endpoints.js';
import type { SurfaceContext } from '../surface.js';
import type { SingpassClientRecord, SingpassStore } from './singpass-store.js';

/** The tenant's own client; another tenant's client_id is not found, exactly like one nobody registered. */
async function ownSingpassClient(
  repository: SingpassStore,
  tenantId: string,
  clientId: string,
): Promise<SingpassClientRecord> {
  const client = await repository.getClient(clientId);
  if (!client || client.tenantId !== tenantId) throw new CoreError('not_found', 'Singpass client not found.');
  return client;
}

/** Sets (or, with `url` null, removes) the client's webhook URL; returns the new endpoint. */
export async function setSingpassWebhook(
  context: SurfaceContext,
  repository: SingpassStore,
  tenantId: string,
  clientId: string,
  url: string | null,
  call: CallContext,
): Promise<WebhookEndpointRecord | undefined> {
  await ownSingpassClient(repository, tenantId, clientId);
  const endpoints =
    url === null
      ? []
      : [
          {
            id: context.deps.ids.next('whe'),
            url,
            urlField: 'body.url',
            events: ['*'],
            sealedSecret: null,
            sealedHeader: null,
            description: `Singpass client ${clientId}`,
            externalId: clientId,
          },
        ];
  const [created] = await replaceWebhookEndpoints(context.deps, tenantId, 'singpass', endpoints, call, {
    externalId: clientId,
  });
  return created;
}

export async function singpassWebhookOf(
  context: SurfaceContext,
  repository: SingpassStore,
  tenantId: string,
  clientId: string,
): Promise<WebhookEndpointRecord | undefined> {
  await ownSingpassClient(repository, tenantId, clientId);
  return (await listWebhookEndpoints(context.deps, tenantId, 'singpass')).find(
    (endpoint) => endpoint.externalId === clientId,
  );
}
