/**
 * Operator tools for the outbox: list rows (dead letters above all) and replay them. Used by the
 * CLI (every tenant) and the admin API (the caller's tenant only). Core-free: a replay changes no
 * domain state, it only makes a row deliverable again.
 */
import type { OutboxEntry, OutboxQueue, OutboxStatus } from './ports.js';

export type ReplayResult =
  | { readonly kind: 'replayed'; readonly entry: OutboxEntry }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'not_dead'; readonly status: OutboxStatus };

export const MAX_LIST = 500;

export async function listOutbox(
  queue: OutboxQueue,
  query: { status: OutboxStatus; tenantId?: string; topic?: string; beforeId?: string; limit?: number },
): Promise<OutboxEntry[]> {
  return queue.list({ ...query, limit: Math.min(Math.max(query.limit ?? 100, 1), MAX_LIST) });
}

/** Dead -> pending, attempts reset, available now. `tenantId` confines the replay to one tenant's rows. */
export async function replayDeadLetter(
  queue: OutboxQueue,
  id: string,
  now: number,
  tenantId?: string,
): Promise<ReplayResult> {
  const entry = await queue.get(id);
  // Another tenant's row answers exactly like a missing one.
  if (!entry || (tenantId !== undefined && entry.tenantId !== tenantId)) return { kind: 'not_found' };
  if (entry.status !== 'dead' || !(await queue.replay(id, now))) {
    const current = await queue.get(id);
    return { kind: 'not_dead', status: current?.status ?? entry.status };
  }
  const replayed = await queue.get(id);
  return replayed ? { kind: 'replayed', entry: replayed } : { kind: 'not_found' };
}

export async function replayAllDeadLetters(queue: OutboxQueue, now: number, tenantId?: string): Promise<number> {
  return queue.replayAllDead(now, tenantId);
}

/** The wire/JSON shape of a row, shared by the CLI's --json and the admin API. */
export function presentOutboxEntry(entry: OutboxEntry) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: entry.id,
    tenant_id: entry.tenantId,
    topic: entry.topic,
    status: entry.status,
    attempts: entry.attempts,
    last_error: entry.lastError,
    available_at: iso(entry.availableAt),
    created_at: iso(entry.createdAt),
    completed_at: iso(entry.completedAt),
    payload: entry.payload,
  };
}
