/**
 * What the webhook endpoint use cases (register, replace, disable) share: the URL check through
 * the one policy, the new endpoint's record, and the audit event every change writes
 * (`webhooks.replaced`: the endpoints disabled and those created, by URL, never a secret).
 */
import { AuditWriter } from './audit.js';
import { CoreError } from './errors.js';
import type { CallContext } from './model.js';
import type { CoreDeps, Tx, WebhookEndpointRecord } from './ports.js';

export type WebhookFormat = WebhookEndpointRecord['format'];

/**
 * An endpoint to create. The caller made the id (sealed secrets and headers are bound to it) and
 * sealed what is secret; `url` is as the client sent it, and `urlField` names where (`body.url`),
 * for the refusal.
 */
export interface NewWebhookEndpoint extends Omit<
  WebhookEndpointRecord,
  'tenantId' | 'format' | 'createdAt' | 'disabledAt'
> {
  readonly urlField: string;
}

export interface WebhookUrlRefusal {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/**
 * A URL the policy refused: `validation_failed` with one issue per refused URL, in the same words
 * on every surface. A surface whose wire names fields its own way reads `refusals`.
 */
export class WebhookUrlRefused extends CoreError {
  constructor(readonly refusals: readonly [WebhookUrlRefusal, ...WebhookUrlRefusal[]]) {
    const [first] = refusals;
    super('validation_failed', `The webhook URL is not allowed (${first.code}: ${first.message}).`, {
      issues: refusals.map((refusal) => ({ path: refusal.field, message: `${refusal.code}: ${refusal.message}` })),
    });
  }
}

/**
 * The URLs as the policy normalised them, or a WebhookUrlRefused naming every refused one. Run
 * before the transaction: a slow resolver must not hold the write lock.
 */
export async function acceptedWebhookUrls(
  deps: Pick<CoreDeps, 'webhookUrls'>,
  endpoints: readonly Pick<NewWebhookEndpoint, 'url' | 'urlField'>[],
): Promise<string[]> {
  const verdicts = await Promise.all(endpoints.map((endpoint) => deps.webhookUrls.check(endpoint.url)));
  const refusals = verdicts.flatMap((verdict, index) =>
    verdict.ok ? [] : [{ field: endpoints[index]!.urlField, code: verdict.code, message: verdict.message }],
  );
  const [first, ...rest] = refusals;
  if (first) throw new WebhookUrlRefused([first, ...rest]);
  return verdicts.map((verdict) => (verdict.ok ? verdict.url : ''));
}

export function endpointRecord(
  endpoint: NewWebhookEndpoint,
  url: string,
  tenantId: string,
  format: WebhookFormat,
  now: number,
): WebhookEndpointRecord {
  const { urlField: _field, ...fields } = endpoint;
  return { ...fields, url, tenantId, format, createdAt: now, disabledAt: null };
}

/** The audit event of a change to a tenant's endpoints, in the change's transaction. */
export async function auditWebhookChange(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  context: CallContext,
  now: number,
  change: {
    readonly tenantId: string;
    readonly format: WebhookFormat;
    readonly disabled: readonly WebhookEndpointRecord[];
    readonly created: readonly WebhookEndpointRecord[];
  },
): Promise<void> {
  await new AuditWriter(tx, deps.ids, context, now).append({
    tenantId: change.tenantId,
    requestId: null,
    type: 'webhooks.replaced',
    data: {
      format: change.format,
      disabled: change.disabled.map((endpoint) => endpoint.id),
      endpoints: change.created.map((endpoint) => ({
        id: endpoint.id,
        external_id: endpoint.externalId,
        url: endpoint.url,
        has_header: endpoint.sealedHeader !== null,
      })),
    },
  });
}
