/** DELETE …/pending-cancellation: the sender takes back a deferred cancel before it is carried out (ADR 7). */
import { z } from 'zod';
import type { CoreDeps } from '../../core/ports.js';
import { withdrawPendingCancellation } from '../../core/use-cases/withdraw-pending-cancellation.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { callContext } from './context.js';
import { presentPendingCancellation, type Presenter } from './present.js';
import { pendingCancellationView, problemView, requestView } from './schemas.js';
import { idempotencyKey, replayHeaders } from './signature-requests.js';

export function withdrawPendingCancellationRoutes(deps: CoreDeps, present: Presenter): AnyRoute[] {
  return [
    defineRoute({
      method: 'DELETE',
      path: '/v1/signature-requests/{id}/pending-cancellation',
      operationId: 'withdrawPendingCancellation',
      tags: ['Cancellation'],
      scope: 'write',
      summary: 'Withdraw a deferred cancel before it is carried out',
      description:
        'Deletes the pending cancellation of the request (or of its sequence); sign sessions may start again. Recorded as request.cancel_withdrawn (webhook signature_request.cancel_withdrawn). 404 when nothing is pending.',
      params: z.strictObject({ id: z.string().min(1).max(100) }),
      headers: { 'Idempotency-Key': { description: 'A replay returns the original response.' } },
      responses: {
        200: {
          description: 'Withdrawn',
          schema: z.object({ signature_request: requestView, withdrawn: pendingCancellationView }),
        },
        404: { description: "No such request (or another tenant's), or nothing pending", schema: problemView },
      },
      handler: async ({ params, auth, request }) => {
        const result = await withdrawPendingCancellation(deps, {
          tenantId: auth!.tenantId,
          requestId: params.id,
          context: callContext(request, auth!),
          ...idempotencyKey(request.headers['idempotency-key']),
        });
        return {
          status: 200,
          headers: replayHeaders(result.replayed),
          body: {
            signature_request: present.request(result.request),
            withdrawn: presentPendingCancellation(result.withdrawn),
          },
        };
      },
    }),
  ];
}
