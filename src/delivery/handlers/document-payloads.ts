/** The retention payloads the core writes on cancel (retention-message.ts). */
import { z } from 'zod';
import type { HandlerOutcome } from '../outbox-handler.js';

const base = { request_id: z.string().min(1), document_id: z.string().min(1) };
export const purgePayload = z.object(base);
export const ownerCopyPayload = z.object({ ...base, owner_email: z.string().min(3) });
// `actor` is only in rows queued before the stamp named the person from the request (it could hold a key's label): not read.
export const voidCopyPayload = z.object({
  ...base,
  actor: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
});

/** The payload, or the dead letter that says why it cannot be read (a retry would read it the same). */
export function readPayload<T>(schema: z.ZodType<T>, payload: unknown): { value: T } | { dead: HandlerOutcome } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { value: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  return { dead: { kind: 'dead', error: `Unreadable payload: ${problems}` } };
}
