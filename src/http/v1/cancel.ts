/** Single and batch cancel: the heart of Countersign's native API. */
import { z } from 'zod';
import { CoreError, ERROR_CODES, isCoreError, type ErrorCode } from '../../core/errors.js';
import { REQUEST_STATUSES } from '../../core/state-machine.js';
import type { Retention } from '../../core/model.js';
import type { CoreDeps } from '../../core/ports.js';
import { cancelSignatureRequest } from '../../core/use-cases/cancel-signature-request.js';
import { cancelSignatureRequestsBatch } from '../../core/use-cases/cancel-signature-requests-batch.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { callContext } from './context.js';
import { presentPendingCancellation, type Presenter } from './present.js';
import {
  batchCancelBody,
  cancelBody,
  notifiedView,
  ourId,
  pendingCancellationView,
  requestView,
  retentionInput,
} from './schemas.js';
import { idempotencyKey, replayHeaders } from './signature-requests.js';

const STATE_REFUSALS = new Set(['already_signed', 'already_cancelled', 'declined', 'active_session']);

export function toRetention(input: z.infer<typeof retentionInput> | undefined): Retention | undefined {
  if (input === undefined) return undefined;
  return typeof input === 'string' ? { mode: input } : input;
}

const cancelResponse = z.object({
  signature_request: requestView,
  cancelled_request_ids: z
    .array(ourId('sr'))
    .describe('The request and, for a sequence, every other member that was cancelled with it.'),
  notified: z.array(notifiedView),
});

const deferredResponse = z.object({
  signature_request: requestView,
  pending_cancellation: pendingCancellationView,
});

/** Only "defer" reaches the core: the default leaves the stored idempotency fingerprints as they were. */
const onActiveSession = (value: 'refuse' | 'defer') => (value === 'defer' ? { onActiveSession: 'defer' as const } : {});

const batchItem = z.object({
  id: z.string().describe('The id as it was sent (any form a surface showed).'),
  outcome: z.enum(['cancelled', 'would_cancel', 'deferred', 'would_defer', 'refused']),
  status: z.enum(REQUEST_STATUSES).optional(),
  code: z
    .enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])
    .optional()
    .describe('Why it was refused (outcome refused).'),
  message: z.string().optional(),
  notified: z.array(notifiedView).optional(),
  also_cancelled: z.array(ourId('sr')).optional(),
  via_sequence_of: z.string().optional(),
  pending_cancellation: pendingCancellationView.optional(),
});

/** A refusal about the request's state carries the request as it is now. */
const refusalExtension = z.object({ signature_request: requestView.optional() });

export function cancelRoutes(deps: CoreDeps, present: Presenter): AnyRoute[] {
  const single = defineRoute({
    method: 'POST',
    path: '/v1/signature-requests/{id}/cancel',
    operationId: 'cancelSignatureRequest',
    tags: ['Cancellation'],
    scope: 'write',
    summary: 'Cancel (recall, void) a signature request',
    description:
      'Allowed while pending, partially signed or expired; refused when completed, declined, already cancelled, or while a signer has an active sign session, unless on_active_session is "defer": then 202 with the pending cancellation, carried out when the session ends (withdraw it with DELETE …/pending-cancellation; a second defer returns the same one). Cancelling any request of a sequence cancels the whole sequence. A repeat without Idempotency-Key answers 409 already_cancelled with the current request.',
    params: z.strictObject({ id: z.string().min(1).max(100) }),
    body: cancelBody,
    headers: { 'Idempotency-Key': { description: 'A replay returns the original response (status and body).' } },
    responses: {
      200: { description: 'Cancelled', schema: cancelResponse },
      202: {
        description:
          'Deferred: a signer is in a sign session; the cancel happens when it ends (on_active_session: "defer")',
        schema: deferredResponse,
      },
      409: {
        description:
          'Refused: already_signed, already_cancelled, declined, active_session (these with the current request), or cancel_pending',
        schema: refusalExtension,
      },
    },
    handler: async ({ params, body, auth, request }) => {
      try {
        const result = await cancelSignatureRequest(deps, {
          tenantId: auth!.tenantId,
          requestId: params.id,
          reason: body.reason ?? null,
          message: body.message ?? null,
          reasonCode: body.reason_code ?? null,
          notify: body.notify,
          retention: toRetention(body.retention),
          ...onActiveSession(body.on_active_session),
          context: callContext(request, auth!, body.actor),
          ...idempotencyKey(request.headers['idempotency-key']),
        });
        if (result.outcome === 'deferred') {
          return {
            status: 202,
            headers: replayHeaders(result.replayed),
            body: {
              signature_request: present.request(result.request),
              pending_cancellation: presentPendingCancellation(result.pending),
            },
          };
        }
        return {
          status: 200,
          headers: replayHeaders(result.replayed),
          body: {
            signature_request: present.request(result.request),
            cancelled_request_ids: result.cancelledIds,
            notified: result.notified.map((n) => ({
              request_id: n.requestId,
              signer_id: n.signerId,
              name: n.name,
              email: n.email,
            })),
          },
        };
      } catch (error) {
        if (isCoreError(error) && STATE_REFUSALS.has(error.code)) {
          const current = await getSignatureRequest(deps, auth!.tenantId, params.id);
          throw new CoreError(error.code, error.message, {
            ...error.details,
            signature_request: present.request(current),
          });
        }
        throw error;
      }
    },
  });

  const batch = defineRoute({
    method: 'POST',
    path: '/v1/signature-requests/cancel',
    operationId: 'cancelSignatureRequestsBatch',
    tags: ['Cancellation'],
    scope: 'write',
    summary: 'Cancel many requests, by up to 10,000 ids or by a filter, with a per-item result',
    description:
      'Each item is judged on its own. dry_run: true reports exactly what would happen (which requests, who would be notified) and changes nothing.',
    body: batchCancelBody,
    bodyLimit: 4 * 1024 * 1024,
    headers: { 'Idempotency-Key': { description: 'A replay returns the original response.' } },
    responses: {
      200: {
        description: 'Per-item results',
        schema: z.object({
          dry_run: z.boolean(),
          total: z.number().int(),
          cancelled: z.number().int(),
          deferred: z.number().int(),
          refused: z.number().int(),
          items: z.array(batchItem),
        }),
      },
      400: { description: 'Invalid input, or more than 10,000 requests (batch_too_large)' },
    },
    handler: async ({ body, auth, request }) => {
      const filter = body.filter;
      const result = await cancelSignatureRequestsBatch(deps, {
        tenantId: auth!.tenantId,
        dryRun: body.dry_run,
        reason: body.reason ?? null,
        message: body.message ?? null,
        reasonCode: body.reason_code ?? null,
        notify: body.notify,
        retention: toRetention(body.retention),
        ...onActiveSession(body.on_active_session),
        context: callContext(request, auth!, body.actor),
        ...idempotencyKey(request.headers['idempotency-key']),
        ...(body.ids ? { ids: body.ids } : {}),
        ...(filter
          ? {
              filter: {
                ...(filter.status ? { statuses: filter.status } : {}),
                ...(filter.created_after ? { createdFrom: Date.parse(filter.created_after) } : {}),
                ...(filter.created_before ? { createdTo: Date.parse(filter.created_before) } : {}),
                ...(filter.signer_email ? { signerEmail: filter.signer_email } : {}),
                ...(filter.sequence_id ? { sequenceId: filter.sequence_id } : {}),
              },
            }
          : {}),
      });
      return {
        status: 200,
        headers: replayHeaders(result.replayed),
        body: {
          dry_run: result.dryRun,
          total: result.total,
          cancelled: result.cancelled,
          deferred: result.deferred ?? 0,
          refused: result.refused,
          items: result.items.map((item) => {
            switch (item.outcome) {
              case 'refused':
                return {
                  id: item.id,
                  outcome: item.outcome,
                  code: item.code,
                  message: item.message,
                  ...(item.status ? { status: item.status } : {}),
                };
              case 'deferred':
              case 'would_defer':
                return {
                  id: item.id,
                  outcome: item.outcome,
                  status: item.status,
                  pending_cancellation: presentPendingCancellation(item.pending),
                };
              case 'cancelled':
              case 'would_cancel':
                return {
                  id: item.id,
                  outcome: item.outcome,
                  status: item.status,
                  also_cancelled: item.alsoCancelled,
                  notified: item.notified.map((n) => ({
                    request_id: n.requestId,
                    signer_id: n.signerId,
                    name: n.name,
                    email: n.email,
                  })),
                  ...(item.viaSequenceOf ? { via_sequence_of: item.viaSequenceOf } : {}),
                };
            }
          }),
        },
      };
    },
  });
  return [batch, single];
}
