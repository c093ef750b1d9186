/**
 * /management/signing: create and cancel single processes and sequences; read one process.
 * Cancel follows the seed (docs.taktikal.is "Cancel Signing Process"): 204 with no body; every
 * signee is emailed (notify policy `all`, for the signees that have an email channel); the document
 * is purged at once, after an owner copy when anyone had signed; the whole sequence goes with it.
 */
import { notFound } from '../../core/errors.js';
import type { CancelFields } from '../../core/use-cases/cancel-in-transaction.js';
import { cancelSequence } from '../../core/use-cases/cancel-sequence.js';
import { cancelSignatureRequest } from '../../core/use-cases/cancel-signature-request.js';
import type { SurfaceContext } from '../surface.js';
import { actorFor, callContextFor } from './auth.js';
import type { ProcessCreator } from './create-process.js';
import { signeeKeyOf } from './keys.js';
import { presentProcess, presentSequence } from './present.js';
import type { ProcessReader } from './processes.js';
import { PROCESS_BODY_LIMIT, SEQUENCE_BODY_LIMIT, type TaktikalRoute } from './routing.js';
import {
  cancelQuerySchema,
  cancelSequenceQuerySchema,
  createSequentialSigningSchema,
  createSigningProcessSchema,
} from './schemas.js';
import { parseTaktikal } from './validate.js';

export const TAKTIKAL_CANCEL: CancelFields = { notify: 'all', retention: { mode: 'purge' } };

export function signingRoutes(
  context: SurfaceContext,
  reader: ProcessReader,
  creator: ProcessCreator,
): TaktikalRoute[] {
  const { deps } = context;
  return [
    {
      method: 'POST',
      path: '/management/signing',
      bodyLimit: PROCESS_BODY_LIMIT,
      handler: async ({ auth, request }) => {
        const input = parseTaktikal(createSigningProcessSchema, request.body, 'body');
        const process = await creator.createOne(
          auth.tenantId,
          input,
          callContextFor(request, actorFor(auth, input.user || null)),
        );
        return { status: 200, body: presentProcess(context, process) };
      },
    },
    {
      method: 'POST',
      path: '/management/signing/sequential',
      bodyLimit: SEQUENCE_BODY_LIMIT,
      handler: async ({ auth, request }) => {
        const input = parseTaktikal(createSequentialSigningSchema, request.body, 'body');
        const sequence = await creator.createSequence(
          auth.tenantId,
          input,
          callContextFor(request, actorFor(auth, input.user)),
        );
        return { status: 200, body: presentSequence(context, sequence) };
      },
    },
    {
      // The swagger's read of one process, addressed through one of its signees.
      method: 'GET',
      path: '/signing/:ProcessKey/signee/:SigneeKey',
      handler: async ({ auth, request }) => {
        const params = request.params as { ProcessKey: string; SigneeKey: string };
        const process = await reader.find(auth.tenantId, params.ProcessKey);
        if (!process.request.signers.some((signer) => signeeKeyOf(signer.id) === params.SigneeKey))
          throw notFound('Signee');
        return { status: 200, body: presentProcess(context, process) };
      },
    },
    {
      method: 'DELETE',
      path: '/management/signing',
      handler: async ({ auth, request }) => {
        const query = parseTaktikal(cancelQuerySchema, request.query, 'query');
        const process = await reader.find(auth.tenantId, query.ProcessKey);
        await cancelSignatureRequest(deps, {
          tenantId: auth.tenantId,
          requestId: process.request.id,
          ...TAKTIKAL_CANCEL,
          context: callContextFor(request, actorFor(auth, query.User || null)),
        });
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/management/signing/sequential',
      handler: async ({ auth, request }) => {
        const query = parseTaktikal(cancelSequenceQuerySchema, request.query, 'query');
        // Only sequences made through this surface answer to a SequenceKey (404 otherwise).
        const sequence = await reader.sequence(auth.tenantId, query.SequenceKey);
        // The core picks the member the cancel goes through (and so the refusal, when none is cancellable).
        await cancelSequence(deps, {
          tenantId: auth.tenantId,
          sequenceId: sequence.id,
          ...TAKTIKAL_CANCEL,
          context: callContextFor(request, actorFor(auth, query.User)),
        });
        return { status: 200, body: presentSequence(context, await reader.sequence(auth.tenantId, query.SequenceKey)) };
      },
    },
  ];
}
