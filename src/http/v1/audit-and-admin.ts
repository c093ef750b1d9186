/** The audit trail, its verification, sequences and API keys. */
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { CoreDeps } from '../../core/ports.js';
import { createApiKey } from '../../core/use-cases/manage-tenants.js';
import { createSequence, getSequence } from '../../core/use-cases/manage-sequences.js';
import { listRequestEvents, verifyTenantAuditChain } from '../../core/use-cases/read-audit-trail.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { Presenter } from './present.js';
import { AUDIT_EVENT_TYPES, CALL_SURFACES } from '../../core/model.js';
import { actorSchema, ourId, sha256Hex, timestamp } from './schemas.js';

const eventView = z.object({
  id: ourId('evt'), seq: z.number().int().min(1), type: z.enum(AUDIT_EVENT_TYPES), request_id: ourId('sr').nullable(), actor: actorSchema,
  surface: z.enum(CALL_SURFACES), ip: z.string().nullable(), user_agent: z.string().nullable(), reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()), created_at: timestamp, prev_hash: sha256Hex, hash: sha256Hex,
});
const sequenceView = z.object({ id: ourId('seq'), title: z.string().nullable(), created_at: timestamp, request_ids: z.array(ourId('sr')) });

export function auditAndAdminRoutes(deps: CoreDeps, present: Presenter): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET', path: '/v1/signature-requests/{id}/events', operationId: 'listRequestEvents', tags: ['Audit'], scope: 'read',
      summary: 'The audit trail of a request, oldest first', params: z.strictObject({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'Events', schema: z.object({ data: z.array(eventView) }) } },
      handler: async ({ params, auth }) => ({ status: 200, body: { data: (await listRequestEvents(deps, auth!.tenantId, params.id)).map(present.event) } }),
    }),
    defineRoute({
      method: 'GET', path: '/v1/audit/verify', operationId: 'verifyAuditChain', tags: ['Audit'], scope: 'read',
      summary: 'Verify the tenant\'s audit hash chain; reports the first broken link',
      responses: { 200: { description: 'Result', schema: z.object({ ok: z.boolean(), checked: z.number().int(), first_broken: z.object({ seq: z.number().int(), id: z.string().describe('The event id, or "missing" where the chain has a gap.'), problem: z.string() }).nullable() }) } },
      handler: async ({ auth }) => {
        const result = await verifyTenantAuditChain(deps, auth!.tenantId);
        return { status: 200, body: { ok: result.ok, checked: result.checked, first_broken: result.firstBroken ?? null } };
      },
    }),
    defineRoute({
      method: 'POST', path: '/v1/sequences', operationId: 'createSequence', tags: ['Sequences'], scope: 'write',
      summary: 'Create a sequence: requests added to it are cancelled as a whole', body: z.strictObject({ title: z.string().max(255).optional() }),
      responses: { 201: { description: 'Created', schema: sequenceView } },
      handler: async ({ body, auth }) => {
        const sequence = await createSequence(deps, auth!.tenantId, body.title ?? null);
        return { status: 201, body: { id: sequence.id, title: sequence.title, created_at: new Date(sequence.createdAt).toISOString(), request_ids: [] } };
      },
    }),
    defineRoute({
      method: 'GET', path: '/v1/sequences/{id}', operationId: 'getSequence', tags: ['Sequences'], scope: 'read',
      summary: 'Get a sequence and its requests', params: z.strictObject({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'The sequence', schema: sequenceView } },
      handler: async ({ params, auth }) => {
        const sequence = await getSequence(deps, auth!.tenantId, params.id);
        return { status: 200, body: { id: sequence.id, title: sequence.title, created_at: new Date(sequence.createdAt).toISOString(), request_ids: sequence.requestIds } };
      },
    }),
    defineRoute({
      method: 'POST', path: '/v1/api-keys', operationId: 'createApiKey', tags: ['Admin'], scope: 'admin',
      summary: 'Create an API key; the key is shown once',
      body: z.strictObject({ scopes: z.array(z.enum(['read', 'write', 'admin'])).min(1), label: z.string().max(100).optional() }),
      responses: { 201: { description: 'Created', schema: z.object({ id: ourId('key'), key: z.string().regex(/^csk_/).describe('Shown once.'), scopes: z.array(z.enum(['read', 'write', 'admin'])) }) } },
      handler: async ({ body, auth }) => {
        const key = await createApiKey(deps, auth!.tenantId, body.scopes, body.label ?? null);
        if (!key) throw notFound('Tenant');
        return { status: 201, body: { id: key.id, key: key.key, scopes: key.scopes } };
      },
    }),
  ];
}
