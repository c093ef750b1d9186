import type { AuditWriter } from '../audit.js';
import { cancelRefusalFor } from '../cancellation-rules.js';
import { CoreError } from '../errors.js';
import type { CallContext, SignatureRequest } from '../model.js';
import type { CoreDeps, Tx } from '../ports.js';
import { CANCELLABLE } from '../state-machine.js';
import { activeSessionsOf } from './cancel-in-transaction.js';
import { cancelledResult, cancellationOf, refuse, type RefusalCode } from './cancel-outcomes.js';
import type { CancelFields, CancelOutcome, NotifiedSigner } from './cancel-types.js';
import { deferCancellation } from './defer-cancellation.js';
import { recordCancellations } from './record-cancellations.js';

/**
 * The batch's way in: many lone requests (no sequence), already loaded, judged in order and moved
 * with one compare-and-set, their audit events and outbox rows written with one insert each. Every
 * request gets exactly what cancelInTransaction would have given it: the same refusals, events,
 * rows and result.
 */
export async function cancelLoneRequests(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  audit: AuditWriter,
  requests: readonly SignatureRequest[],
  fields: CancelFields,
  context: CallContext,
  now: number,
): Promise<(CancelOutcome | CoreError)[]> {
  const outcomes = new Map<string, CancelOutcome | CoreError>();
  const refuseAndRecord = async (request: SignatureRequest, code: RefusalCode) => {
    outcomes.set(
      request.id,
      await refuse(tx, deps, audit, request, code, now).catch((error: unknown) => {
        if (error instanceof CoreError) return error;
        throw error;
      }),
    );
  };
  const cancellable: SignatureRequest[] = [];
  for (const request of requests) {
    if (request.sequenceId !== null) throw new Error(`cancelLoneRequests got ${request.id}, a member of a sequence`);
    const refusal = cancelRefusalFor(request.status);
    if (refusal) await refuseAndRecord(request, refusal);
    else cancellable.push(request);
  }
  const cancellation = cancellationOf(fields, context.actor, now);
  const moved = await tx.requests.changeStatusMany({
    requestIds: cancellable.map((request) => request.id),
    from: CANCELLABLE,
    to: 'cancelled',
    now,
    requireNoActiveSession: true,
    cancellation,
  });
  const done: SignatureRequest[] = [];
  for (const request of cancellable) {
    if (moved.has(request.id)) {
      done.push(request);
      continue;
    }
    const blocking = await activeSessionsOf(tx, [request], now);
    if (blocking.length === 0)
      throw new CoreError('conflict', 'A request changed while it was being cancelled; retry.');
    if (fields.onActiveSession === 'defer')
      outcomes.set(request.id, await deferCancellation(tx, deps, audit, request, blocking, fields, context, now));
    else await refuseAndRecord(request, 'active_session');
  }
  const notified = await recordCancellations(
    tx,
    deps,
    audit,
    done.map((member) => ({ member, target: member })),
    cancellation,
    fields,
    now,
  );
  const notifiedOf = new Map<string, NotifiedSigner[]>();
  for (const signer of notified) {
    const group = notifiedOf.get(signer.requestId);
    if (group) group.push(signer);
    else notifiedOf.set(signer.requestId, [signer]);
  }
  for (const request of done)
    outcomes.set(
      request.id,
      cancelledResult(request, [request.id], notifiedOf.get(request.id) ?? [], cancellation, now),
    );
  return requests.map((request) => outcomes.get(request.id)!);
}
