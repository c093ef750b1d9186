/**
 * The tamper-evident audit trail. Each tenant's events form one hash chain: an event's hash
 * covers its own fields and the previous event's hash, so editing, deleting or reordering any
 * row breaks every link after it. Events are written in the transaction of the change they record.
 */
import { createHash } from 'node:crypto';
import type { AuditEventBody } from './events/audit-events.js';
import type { AuditEvent, CallContext } from './model.js';
import type { IdGenerator, NewAuditEvent, Tx } from './ports.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so that the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) out += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${out}]`;
  }
  // Written as loops (no entries/filter/map/join): it runs twice per audit event, 20,000 times in a
  // batch cancel. Default sort order is UTF-16 code units, as `<` compares strings.
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const entry = record[key];
    if (entry === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(entry)}`;
  }
  return `${out}}`;
}

/**
 * The hash of an event: sha256 over the previous hash and the event's fields in a fixed order
 * (free-form `actor` and `data` in canonical JSON). Changing this order invalidates every chain.
 * `canonicalActor` lets a writer that appends many events for one actor encode it once.
 */
export function hashAuditEvent(
  event: Omit<AuditEvent, 'seq' | 'hash'>,
  canonicalActor = canonicalJson(event.actor),
): string {
  const fields = [
    event.id,
    event.tenantId,
    event.requestId,
    event.type,
    canonicalActor,
    event.surface,
    event.ip,
    event.userAgent,
    event.reason,
    canonicalJson(event.data),
    event.createdAt,
  ];
  return createHash('sha256').update(event.prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/**
 * One event to append: where it belongs, and a `type` with its `data` as the union in
 * src/core/events/audit-events.ts defines them (tsc refuses a missing or a stray field).
 */
export type AuditEntry = {
  readonly tenantId: string;
  readonly requestId: string | null;
  readonly reason?: string | null;
} & AuditEventBody;

/**
 * Appends events inside one transaction. Keeps the chain head in memory: inside the
 * transaction nobody else can append to the tenant's chain.
 */
export class AuditWriter {
  private readonly heads = new Map<string, string>();
  private readonly canonicalActor: string;

  constructor(
    private readonly tx: Tx,
    private readonly ids: IdGenerator,
    private readonly context: CallContext,
    private readonly now: number,
  ) {
    this.canonicalActor = canonicalJson(context.actor);
  }

  async append(entry: AuditEntry): Promise<NewAuditEvent> {
    return (await this.appendMany([entry]))[0]!;
  }

  /** Chains the entries in order and writes them with one insert (a batch cancel writes thousands). */
  async appendMany(entries: readonly AuditEntry[]): Promise<NewAuditEvent[]> {
    const events: NewAuditEvent[] = [];
    for (const entry of entries) {
      const prevHash = this.heads.get(entry.tenantId) ?? (await this.tx.audit.lastHash(entry.tenantId)) ?? GENESIS_HASH;
      const unhashed = {
        id: this.ids.next('evt'),
        tenantId: entry.tenantId,
        requestId: entry.requestId,
        type: entry.type,
        actor: this.context.actor,
        surface: this.context.surface,
        ip: this.context.ip ?? null,
        userAgent: this.context.userAgent ?? null,
        reason: entry.reason ?? null,
        data: entry.data,
        createdAt: this.now,
        prevHash,
      };
      const event: NewAuditEvent = { ...unhashed, hash: hashAuditEvent(unhashed, this.canonicalActor) };
      this.heads.set(entry.tenantId, event.hash);
      events.push(event);
    }
    if (events.length > 0) await this.tx.audit.insertMany(events);
    return events;
  }
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly checked: number;
  /** The first event whose link is broken, when not ok. */
  readonly firstBroken?: { seq: number; id: string; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'head_mismatch' };
}

/** Walks a tenant's chain from the start; stops at the first broken link. */
export async function verifyAuditChain(tx: Tx, tenantId: string, pageSize = 1000): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const page = await tx.audit.page(tenantId, afterSeq, pageSize);
    for (const event of page) {
      if (event.prevHash !== expectedPrev) {
        return { ok: false, checked, firstBroken: { seq: event.seq, id: event.id, problem: 'prev_hash_mismatch' } };
      }
      const { seq: _seq, hash, ...unhashed } = event;
      if (hashAuditEvent(unhashed) !== hash) {
        return { ok: false, checked, firstBroken: { seq: event.seq, id: event.id, problem: 'hash_mismatch' } };
      }
      expectedPrev = hash;
      afterSeq = event.seq;
      checked += 1;
    }
    if (page.length < pageSize) break;
  }
  const head = await tx.audit.head(tenantId);
  if ((head?.hash ?? GENESIS_HASH) !== expectedPrev) {
    // Rows after the last one we saw were deleted (or the head was edited).
    return { ok: false, checked, firstBroken: { seq: head?.seq ?? afterSeq, id: 'missing', problem: 'head_mismatch' } };
  }
  return { ok: true, checked };
}
