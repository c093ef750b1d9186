/**
 * Topic 'webhook.delivery': one event to one endpoint. Renders the event from the audit trail and
 * the request's current state with the renderer of the endpoint's format (native Standard
 * Webhooks, or a provider's), POSTs it through the SSRF-safe client, logs the attempt, and
 * answers with the endpoint format's retry schedule. At-least-once: a crash between the POST and "done" sends again with the same
 * event id, which receivers de-duplicate on.
 */
import { readAuditEvent, type RecordedAuditEvent } from '../../core/events/audit-events.js';
import type { SignatureRequest, Tenant } from '../../core/model.js';
import type { WebhookEndpointRecord } from '../../core/ports.js';
import { createAttemptLog } from '../attempt-log.js';
import { postWebhook, type ResolveHost, type WebhookConnectionPool, type WebhookPostResult } from '../outbound-http.js';
import type { HandlerOutcome, OutboxHandler, OutboxRow } from '../outbox-handler.js';
import { isSuccessStatus, nextAttempt, RETRY_POLICIES, type WebhookFormat } from '../retry-schedules.js';
import type { WebhookDeliveryPayload } from '../webhook-events.js';
import type { RenderedWebhook, WebhookRenderer } from '../webhook-renderer.js';
import type { WebhookContext } from '../webhook-context.js';
import { readPayload } from './read-payload.js';

export const WEBHOOK_DELIVERY_TOPIC = 'webhook.delivery';

/** What the attempt log keeps of a receiver's answer. */
const RESPONSE_SNIPPET_BYTES = 1024;

export interface WebhookDeliveryOptions {
  readonly context: WebhookContext;
  /** Self-hosters' receivers on their own network (COUNTERSIGN_ALLOW_PRIVATE_WEBHOOKS). */
  readonly allowPrivateNetworks: boolean;
  /** Each format's renderer; an endpoint whose format has none is sent nothing. */
  readonly renderers: ReadonlyMap<WebhookFormat, WebhookRenderer>;
  readonly resolveHost?: ResolveHost;
  /** Keep-alive connections shared by the deliveries (one connection per post without it). */
  readonly pool?: WebhookConnectionPool;
  /** Jitter source of the native schedule. */
  readonly random?: () => number;
}

interface Loaded {
  readonly endpoint: WebhookEndpointRecord;
  readonly event: RecordedAuditEvent;
  readonly request: SignatureRequest;
  readonly tenant: Tenant;
}

export function createWebhookDeliveryHandler(options: WebhookDeliveryOptions): OutboxHandler {
  const { context } = options;
  const { deps } = context;
  const attemptLog = createAttemptLog(deps.store);

  async function load(
    tenantId: string,
    payload: WebhookDeliveryPayload,
  ): Promise<Loaded | { skip: string } | { dead: string }> {
    return deps.store.read(async (tx) => {
      const endpoint = await tx.webhookEndpoints.get(tenantId, payload.endpoint_id);
      if (!endpoint || endpoint.disabledAt !== null) return { skip: 'endpoint disabled' };
      const event = await tx.webhookAttempts.findEvent(tenantId, payload.event_id);
      const request = event?.requestId ? await tx.requests.get(tenantId, event.requestId) : undefined;
      const tenant = await tx.tenants.get(tenantId);
      if (!event || !request || !tenant) return { dead: `event ${payload.event_id} or its request no longer exists` };
      const recorded = readAuditEvent(event);
      if ('error' in recorded) return { dead: `audit event ${event.id} cannot be read: ${recorded.error}` };
      return { endpoint, event: recorded.value, request, tenant };
    });
  }

  async function render(loaded: Loaded, payload: WebhookDeliveryPayload): Promise<RenderedWebhook | null> {
    const { endpoint } = loaded;
    const renderer = options.renderers.get(endpoint.format);
    if (!renderer) return null;
    const secret = endpoint.sealedSecret === null ? null : context.sealer.open(endpoint.sealedSecret, endpoint.id);
    const header =
      endpoint.sealedHeader === null
        ? null
        : (JSON.parse(context.sealer.open(endpoint.sealedHeader, endpoint.id)) as { key: string; value: string });
    return renderer.render({
      eventId: payload.event_id,
      eventType: payload.type,
      occurredAt: loaded.event.createdAt,
      event: loaded.event,
      request: loaded.request,
      tenant: loaded.tenant,
      endpoint,
      secret,
      header,
      data: payload.event,
    });
  }

  /** Logs the attempt; resolves to when the delivery's current series of attempts began. */
  function record(
    row: OutboxRow,
    payload: WebhookDeliveryPayload,
    result: WebhookPostResult,
    now: number,
  ): Promise<number> {
    return attemptLog.record(
      {
        id: deps.ids.next('wha'),
        tenantId: row.tenantId,
        endpointId: payload.endpoint_id,
        eventId: payload.event_id,
        deliveryId: row.id,
        attempt: row.attempts + 1,
        statusCode: result.status ?? null,
        error: failureOf(result),
        durationMs: result.durationMs,
        responseSnippet: result.responseSnippet || null,
        createdAt: now,
      },
      row.createdAt,
    );
  }

  return {
    topic: WEBHOOK_DELIVERY_TOPIC,
    // One dead receiver fails every delivery queued for it: the log summarises them per endpoint.
    failureTarget: (row) =>
      `webhook endpoint ${typeof row.payload.endpoint_id === 'string' ? row.payload.endpoint_id : 'unknown'}`,
    async handle(row): Promise<HandlerOutcome> {
      const read = readPayload(WEBHOOK_DELIVERY_TOPIC, row.payload);
      if ('dead' in read) return read.dead;
      const payload = read.value;
      const loaded = await load(row.tenantId, payload);
      if ('skip' in loaded) return { kind: 'done' };
      if ('dead' in loaded) return { kind: 'dead', error: loaded.dead };
      const rendered = await render(loaded, payload);
      if (rendered === null) return { kind: 'done' }; // the provider has no webhook for this event
      const policy = RETRY_POLICIES[loaded.endpoint.format];
      const result = await postWebhook({
        url: loaded.endpoint.url,
        body: rendered.body,
        headers: rendered.headers,
        timeoutMs: policy.timeoutMs,
        maxResponseBytes: RESPONSE_SNIPPET_BYTES,
        isSuccessStatus: (status) => isSuccessStatus(policy, status),
        allowPrivateNetworks: options.allowPrivateNetworks,
        ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
        ...(options.pool ? { pool: options.pool } : {}),
      });
      const now = deps.clock.now();
      const firstAttemptAt = await record(row, payload, result, now);
      if (result.ok) return { kind: 'done' };
      const error = failureOf(result) ?? 'delivery failed';
      const next = nextAttempt(policy, row.attempts + 1, firstAttemptAt, now, result.status, options.random);
      return 'retryAt' in next
        ? { kind: 'retry', at: next.retryAt, error }
        : { kind: 'dead', error: `${error} (${next.reason})` };
    },
  };
}

/** `code: message` (e.g. `timeout: no complete answer within 10000 ms`), or null for a success. */
function failureOf(result: WebhookPostResult): string | null {
  return result.ok ? null : `${result.errorCode ?? 'failed'}: ${result.error ?? 'delivery failed'}`;
}
