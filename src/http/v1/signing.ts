/**
 * The signer side: the link each signer receives. The token authenticates; a link of a cancelled
 * request answers 410 Gone with the cancellation message. Every command records the client's
 * address and user agent with its event (evidence). Opening the link records nothing: the signer's
 * page says "viewed" with POST …/viewed (mail scanners fetch links too).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { Cancellation } from '../../core/model.js';
import type { CoreDeps } from '../../core/ports.js';
import { declineAsSigner } from '../../core/use-cases/decline-as-signer.js';
import { markSigningLinkViewed } from '../../core/use-cases/mark-signing-link-viewed.js';
import { signAsSigner } from '../../core/use-cases/sign-as-signer.js';
import type { SignerClient } from '../../core/use-cases/signer-context.js';
import { startSignSession } from '../../core/use-cases/start-sign-session.js';
import { viewSigningLink, type SigningView } from '../../core/use-cases/view-signing-link.js';
import { signerIdFromToken } from '../../core/signing-links.js';
import { defineRoute, type AnyRoute, type HandlerResult } from '../route.js';
import type { AuthThrottle } from '../throttle/auth-throttle.js';
import { nullableTimestamp, ourId, timestamp } from './schemas.js';
import { SIGNER_STATUSES, REQUEST_STATUSES } from '../../core/state-machine.js';

const tokenParams = z.strictObject({ token: z.string().min(10).max(200) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const signingState = z.object({
  request: z.object({
    id: ourId('sr'),
    title: z.string(),
    status: z.enum(REQUEST_STATUSES),
    expires_at: timestamp,
    message: z.string().nullable(),
    document: z.object({ filename: z.string(), page_count: z.number().int().min(1), available: z.boolean() }),
  }),
  signer: z.object({
    id: ourId('sgr'),
    name: z.string(),
    email: z.email().nullable(),
    status: z.enum(SIGNER_STATUSES),
  }),
  session: z.object({ expires_at: timestamp }).nullable(),
  cancellation_pending: z
    .boolean()
    .describe(
      'The sender is withdrawing this request: no new sign session may start (a session already open may still sign).',
    ),
});

/** Who is at the other end, for the audit trail (the address per the server's trust-proxy rule). */
function signerClientOf(request: FastifyRequest): SignerClient {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}) };
}

function presentSigningView(state: SigningView) {
  if (state.request.status === 'cancelled')
    goneIfCancelled(new CoreError('already_cancelled', undefined, { cancellation: state.request.cancellation }));
  const { request, signer } = state;
  return {
    request: {
      id: request.id,
      title: request.title,
      status: request.status,
      expires_at: new Date(request.expiresAt).toISOString(),
      message: request.message,
      document: {
        filename: request.document.filename,
        page_count: request.document.pageCount,
        available: request.document.purgedAt === null,
      },
    },
    signer: { id: signer.id, name: signer.name, email: signer.email, status: signer.status },
    session: state.sessionExpiresAt === null ? null : { expires_at: new Date(state.sessionExpiresAt).toISOString() },
    cancellation_pending: request.pendingCancellation !== null,
  };
}

const signBody = z.strictObject({
  signature: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('typed'), text: z.string().trim().min(1).max(200) }),
    z.strictObject({
      type: z.literal('drawn'),
      image_png: z
        .string()
        .regex(/^(data:image\/png;base64,)?[A-Za-z0-9+/]+={0,2}$/)
        .max(700_000)
        .describe('PNG, base64 or data URL'),
    }),
  ]),
});

/** Refusals on a cancelled request become 410 Gone carrying the cancellation message. */
function goneIfCancelled(error: unknown): never {
  if (isCoreError(error) && error.code === 'already_cancelled') {
    const cancellation = error.details.cancellation as Cancellation | null | undefined;
    throw new CoreError(
      'already_cancelled',
      cancellation?.message ?? 'This signature request was cancelled by the sender.',
      {
        http_status: 410,
        cancelled_at: iso(cancellation?.cancelledAt ?? null),
        message: cancellation?.message ?? null,
      },
    );
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

const isUnknownLink = (error: unknown) => isCoreError(error) && error.code === 'not_found';

export function signingRoutes(deps: CoreDeps, throttle: AuthThrottle): AnyRoute[] {
  // The token is the credential: an unknown or forged one counts as a failed authentication, keyed
  // by the client address and by the signer id it names.
  const guarded = (request: FastifyRequest, token: string, run: () => Promise<HandlerResult>) =>
    throttle.guard(request, `signing_link:${token.slice(0, Math.max(0, token.lastIndexOf('.')))}`, run, isUnknownLink);
  const view = defineRoute({
    method: 'GET',
    path: '/v1/signing/{token}',
    operationId: 'viewSigningLink',
    tags: ['Signing'],
    tokenAuthenticated: true,
    params: tokenParams,
    summary: 'What the signer sees; records nothing (POST …/viewed does)',
    responses: { 200: { description: 'State', schema: signingState }, ...responses },
    handler: async ({ params, request }) =>
      guarded(request, params.token, async () => ({
        status: 200,
        body: presentSigningView(await viewSigningLink(deps, params.token, signerClientOf(request))),
      })),
  });
  const viewed = defineRoute({
    method: 'POST',
    path: '/v1/signing/{token}/viewed',
    operationId: 'markSigningLinkViewed',
    tags: ['Signing'],
    tokenAuthenticated: true,
    params: tokenParams,
    summary:
      'The signer\'s page reports the document shown: the first call records "viewed" (with address and user agent); idempotent',
    responses: { 200: { description: 'State, after recording', schema: signingState }, ...responses },
    handler: async ({ params, request }) =>
      guarded(request, params.token, async () => ({
        status: 200,
        body: presentSigningView(await markSigningLinkViewed(deps, params.token, signerClientOf(request))),
      })),
  });
  const start = defineRoute({
    method: 'POST',
    path: '/v1/signing/{token}/start',
    operationId: 'startSignSession',
    tags: ['Signing'],
    tokenAuthenticated: true,
    params: tokenParams,
    summary: 'Proceed to Sign: opens the sign session (blocks cancellation while active)',
    description:
      "Pressing again during a session returns that session unchanged. Refused with 409 cancel_pending while the sender's deferred cancel is pending, and with 429 session_limit when the signer restarts too often (Retry-After when waiting helps).",
    responses: {
      200: {
        description: 'The session',
        schema: z.object({ session: z.object({ id: ourId('ses'), started_at: timestamp, expires_at: timestamp }) }),
      },
      ...responses,
      429: {
        description:
          'rate_limited (too many unknown or forged links), or session_limit: too many sessions, or too soon after one lapsed (Retry-After when waiting helps)',
        headers: {
          'Retry-After': {
            description: 'Seconds to wait; absent when the session cap is reached (waiting does not help).',
            required: false,
            schema: { type: 'string', pattern: '^[0-9]+$' },
          },
        },
      },
    },
    handler: async ({ params, request }) =>
      guarded(request, params.token, async () => {
        const session = await startSignSession(deps, params.token, signerClientOf(request)).catch(goneIfCancelled);
        return {
          status: 200,
          body: { session: { id: session.id, started_at: iso(session.startedAt), expires_at: iso(session.expiresAt) } },
        };
      }),
  });
  const sign = defineRoute({
    method: 'POST',
    path: '/v1/signing/{token}/sign',
    operationId: 'sign',
    tags: ['Signing'],
    tokenAuthenticated: true,
    params: tokenParams,
    body: signBody,
    bodyLimit: 1024 * 1024,
    summary: 'Sign, inside an active session',
    responses: {
      200: {
        description: 'Signed',
        schema: z.object({ request_status: z.enum(REQUEST_STATUSES), signer_status: z.enum(SIGNER_STATUSES) }),
      },
      ...responses,
    },
    handler: async ({ params, body, request: http }) =>
      guarded(http, params.token, async () => {
        const signature =
          body.signature.type === 'typed'
            ? body.signature
            : { type: 'drawn' as const, imagePng: body.signature.image_png };
        const request = await signAsSigner(deps, params.token, signature, signerClientOf(http)).catch(goneIfCancelled);
        const signerId = signerIdFromToken(deps.settings.linkKey, params.token);
        return {
          status: 200,
          body: {
            request_status: request.status,
            signer_status: request.signers.find((s) => s.id === signerId)?.status ?? 'signed',
          },
        };
      }),
  });
  const decline = defineRoute({
    method: 'POST',
    path: '/v1/signing/{token}/decline',
    operationId: 'decline',
    tags: ['Signing'],
    tokenAuthenticated: true,
    params: tokenParams,
    body: z.strictObject({ reason: z.string().trim().min(1).max(1000) }),
    summary: 'Decline to sign; the request becomes declined',
    responses: {
      200: { description: 'Declined', schema: z.object({ request_status: z.enum(REQUEST_STATUSES) }) },
      ...responses,
    },
    handler: async ({ params, body, request: http }) =>
      guarded(http, params.token, async () => {
        const request = await declineAsSigner(deps, params.token, body.reason, signerClientOf(http)).catch(
          goneIfCancelled,
        );
        return { status: 200, body: { request_status: request.status } };
      }),
  });
  return [view, viewed, start, sign, decline];
}
