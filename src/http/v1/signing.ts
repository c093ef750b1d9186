/**
 * The signer side: the link each signer receives. The token authenticates; a link of a cancelled
 * request answers 410 Gone with the cancellation message.
 */
import { z } from 'zod';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { Cancellation } from '../../core/model.js';
import type { CoreDeps } from '../../core/ports.js';
import { declineAsSigner } from '../../core/use-cases/decline-as-signer.js';
import { signAsSigner } from '../../core/use-cases/sign-as-signer.js';
import { startSignSession } from '../../core/use-cases/start-sign-session.js';
import { viewSigningLink } from '../../core/use-cases/view-signing-link.js';
import { signerIdFromToken } from '../../core/signing-links.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { nullableTimestamp, ourId, timestamp } from './schemas.js';
import { SIGNER_STATUSES, REQUEST_STATUSES } from '../../core/state-machine.js';

const tokenParams = z.strictObject({ token: z.string().min(10).max(200) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const signingState = z.object({
  request: z.object({ id: ourId('sr'), title: z.string(), status: z.enum(REQUEST_STATUSES), expires_at: timestamp, message: z.string().nullable(),
    document: z.object({ filename: z.string(), page_count: z.number().int().min(1), available: z.boolean() }) }),
  signer: z.object({ id: ourId('sgr'), name: z.string(), email: z.email().nullable(), status: z.enum(SIGNER_STATUSES) }),
  session: z.object({ expires_at: timestamp }).nullable(),
});

const signBody = z.strictObject({
  signature: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('typed'), text: z.string().trim().min(1).max(200) }),
    z.strictObject({ type: z.literal('drawn'), image_png: z.string().regex(/^(data:image\/png;base64,)?[A-Za-z0-9+/]+={0,2}$/).max(700_000).describe('PNG, base64 or data URL') }),
  ]),
});

/** Refusals on a cancelled request become 410 Gone carrying the cancellation message. */
function goneIfCancelled(error: unknown): never {
  if (isCoreError(error) && error.code === 'already_cancelled') {
    const cancellation = error.details.cancellation as Cancellation | null | undefined;
    throw new CoreError('already_cancelled', cancellation?.message ?? 'This signature request was cancelled by the sender.', {
      http_status: 410, cancelled_at: iso(cancellation?.cancelledAt ?? null), message: cancellation?.message ?? null,
    });
  }
  throw error;
}

const responses = {
  404: { description: 'Unknown or forged link' },
  409: { description: 'Refused by the request or signer state' },
  410: {
    description: 'The request was cancelled (already_cancelled); the body carries the cancellation message',
    codes: ['already_cancelled'] as const,
    schema: z.object({ cancelled_at: nullableTimestamp.optional(), message: z.string().nullable().optional() }),
  },
};

export function signingRoutes(deps: CoreDeps): AnyRoute[] {
  const view = defineRoute({
    method: 'GET', path: '/v1/signing/{token}', operationId: 'viewSigningLink', tags: ['Signing'], params: tokenParams,
    summary: 'What the signer sees; the first view is recorded',
    responses: { 200: { description: 'State', schema: signingState }, ...responses },
    handler: async ({ params }) => {
      const state = await viewSigningLink(deps, params.token);
      if (state.request.status === 'cancelled') goneIfCancelled(new CoreError('already_cancelled', undefined, { cancellation: state.request.cancellation }));
      const { request, signer } = state;
      return {
        status: 200,
        body: {
          request: { id: request.id, title: request.title, status: request.status, expires_at: new Date(request.expiresAt).toISOString(), message: request.message,
            document: { filename: request.document.filename, page_count: request.document.pageCount, available: request.document.purgedAt === null } },
          signer: { id: signer.id, name: signer.name, email: signer.email, status: signer.status },
          session: state.sessionExpiresAt === null ? null : { expires_at: new Date(state.sessionExpiresAt).toISOString() },
        },
      };
    },
  });
  const start = defineRoute({
    method: 'POST', path: '/v1/signing/{token}/start', operationId: 'startSignSession', tags: ['Signing'], params: tokenParams,
    summary: 'Proceed to Sign: opens the sign session (blocks cancellation while active)',
    responses: { 200: { description: 'The session', schema: z.object({ session: z.object({ id: ourId('ses'), started_at: timestamp, expires_at: timestamp }) }) }, ...responses },
    handler: async ({ params }) => {
      const session = await startSignSession(deps, params.token).catch(goneIfCancelled);
      return { status: 200, body: { session: { id: session.id, started_at: iso(session.startedAt), expires_at: iso(session.expiresAt) } } };
    },
  });
  const sign = defineRoute({
    method: 'POST', path: '/v1/signing/{token}/sign', operationId: 'sign', tags: ['Signing'], params: tokenParams, body: signBody, bodyLimit: 1024 * 1024,
    summary: 'Sign, inside an active session', responses: { 200: { description: 'Signed', schema: z.object({ request_status: z.enum(REQUEST_STATUSES), signer_status: z.enum(SIGNER_STATUSES) }) }, ...responses },
    handler: async ({ params, body }) => {
      const signature = body.signature.type === 'typed' ? body.signature : { type: 'drawn' as const, imagePng: body.signature.image_png };
      const request = await signAsSigner(deps, params.token, signature).catch(goneIfCancelled);
      const signerId = signerIdFromToken(deps.settings.linkKey, params.token);
      return { status: 200, body: { request_status: request.status, signer_status: request.signers.find((s) => s.id === signerId)?.status ?? 'signed' } };
    },
  });
  const decline = defineRoute({
    method: 'POST', path: '/v1/signing/{token}/decline', operationId: 'decline', tags: ['Signing'], params: tokenParams,
    body: z.strictObject({ reason: z.string().trim().min(1).max(1000) }),
    summary: 'Decline to sign; the request becomes declined', responses: { 200: { description: 'Declined', schema: z.object({ request_status: z.enum(REQUEST_STATUSES) }) }, ...responses },
    handler: async ({ params, body }) => {
      const request = await declineAsSigner(deps, params.token, body.reason).catch(goneIfCancelled);
      return { status: 200, body: { request_status: request.status } };
    },
  });
  return [view, start, sign, decline];
}
