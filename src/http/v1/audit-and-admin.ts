/** The audit trail, its verification, and sequences. */
import { z } from 'zod';
import type { CoreDeps } from '../../core/ports.js';
import { createSequence, getSequence } from '../../core/use-cases/manage-sequences.js';
import { listRequestEvents, listTenantEvents, verifyTenantAuditChain } from '../../core/use-cases/read-audit-trail.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { Presenter } from './present.js';
import { AUDIT_EVENT_TYPES } from '../../core/events/audit-events.js';
import { CALL_SURFACES } from '../../core/model.js';
import { actorSchema, ourId, sha256Hex, timestamp } from './schemas.js';

const eventView = z.object({
  id: ourId('evt'),
  seq: z.number().int().min(1),
  type: z.enum(AUDIT_EVENT_TYPES),
  request_id: ourId('sr').nullable(),
  actor: actorSchema,
  surface: z.enum(CALL_SURFACES),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: timestamp,
  prev_hash: sha256Hex,
  hash: sha256Hex,
});
const sequenceView = z.object({
  id: ourId('seq'),
  title: z.string().nullable(),
  created_at: timestamp,
  request_ids: z.array(ourId('sr')),
});

export function auditAndAdminRoutes(deps: CoreDeps, present: Presenter): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/signature-requests/{id}/events',
      operationId: 'listRequestEvents',
      tags: ['Audit'],
      scope: 'read',
      summary: 'The audit trail of a request, oldest first',
      params: z.strictObject({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'Events', schema: z.object({ data: z.array(eventView) }) } },
      handler: async ({ params, auth }) => ({
        status: 200,
        body: { data: (await listRequestEvents(deps, auth!.tenantId, params.id)).map(present.event) },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/audit/events',
      operationId: 'listTenantEvents',
      tags: ['Audit'],
      scope: 'admin',
      summary:
        "The tenant's whole audit chain in order, a page at a time (with events of no request, e.g. credential.issued, credential.revoked)",
      query: z.strictObject({
        after_seq: z.coerce.number().int().min(0).default(0).describe('next_after_seq of the previous page'),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      responses: {
        200: {
          description: 'Events',
          schema: z.object({ data: z.array(eventView), next_after_seq: z.number().int().nullable() }),
        },
      },
      handler: async ({ query, auth }) => {
        const events = await listTenantEvents(deps, auth!.tenantId, query.after_seq, query.limit);
        return {
          status: 200,
          body: {
            data: events.map(present.event),
            next_after_seq: events.length === query.limit ? events.at(-1)!.seq : null,
          },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/audit/verify',
      operationId: 'verifyAuditChain',
      tags: ['Audit'],
      scope: 'read',
      summary: "Verify the tenant's audit hash chain; reports the first broken link",
      responses: {
        200: {
          description: 'Result',
          schema: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            first_broken: z
              .object({
                seq: z.number().int(),
                id: z.string().describe('The event id, or "missing" where the chain has a gap.'),
                problem: z.string(),
              })
              .nullable(),
          }),
        },
      },
      handler: async ({ auth }) => {
        const result = await verifyTenantAuditChain(deps, auth!.tenantId);
        return {
          status: 200,
          body: { ok: result.ok, checked: result.checked, first_broken: result.firstBroken ?? null },
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/sequences',
      operationId: 'createSequence',
      tags: ['Sequences'],
      scope: 'write',
      summary: 'Create a sequence: requests added to it are cancelled as a whole',
      body: z.strictObject({ title: z.string().max(255).optional() }),
      responses: { 201: { description: 'Created', schema: sequenceView } },
      handler: async ({ body, auth }) => {
        const sequence = await createSequence(deps, auth!.tenantId, body.title ?? null);
        return {
          status: 201,
          body: {
            id: sequence.id,
            title: sequence.title,
            created_at: new Date(sequence.createdAt).toISOString(),
            request_ids: [],
          },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/sequences/{id}',
      operationId: 'getSequence',
      tags: ['Sequences'],
      scope: 'read',
      summary: 'Get a sequence and its requests',
      params: z.strictObject({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'The sequence', schema: sequenceView } },
      handler: async ({ params, auth }) => {
        const sequence = await getSequence(deps, auth!.tenantId, params.id);
        return {
          status: 200,
          body: {
            id: sequence.id,
            title: sequence.title,
            created_at: new Date(sequence.createdAt).toISOString(),
            request_ids: sequence.requestIds,
          },
        };
      },
    }),
  ];
}
