/**
 * A Taktikal "signing process" is a core signature request plus, when it was created through this
 * surface, the fields kept in the surface's own table. Every request of the tenant is visible here,
 * as through /v1: one made elsewhere shows its own id as ProcessKey (as in Taktikal webhooks) and
 * no Taktikal-only fields. Another tenant's id answers exactly like an unknown one.
 */
import { notFound } from '../../core/errors.js';
import type { SignatureRequest } from '../../core/model.js';
import { getSequence } from '../../core/use-cases/manage-sequences.js';
import { getSignatureRequest } from '../../core/use-cases/read-signature-requests.js';
import type { SurfaceContext } from '../surface.js';
import { PROCESS_KEY_ALIAS } from './keys.js';
import type { TaktikalProcessDetails, TaktikalSequenceDetails, TaktikalStore } from './taktikal-store.js';

export interface TaktikalProcess {
  readonly request: SignatureRequest;
  readonly processKey: string;
  /** Undefined for a request made through another surface (or if the surface's row was never written). */
  readonly details: TaktikalProcessDetails | undefined;
  readonly sequenceKey: string | null;
}

export interface SequenceView {
  readonly id: string;
  readonly key: string;
  readonly details: TaktikalSequenceDetails;
  readonly processes: readonly TaktikalProcess[];
}

/** The ProcessKey this surface showed for the request, or its own id for one made elsewhere. */
export function processKeyOf(request: SignatureRequest): string {
  return request.aliases[PROCESS_KEY_ALIAS] ?? request.id;
}

export class ProcessReader {
  constructor(
    private readonly context: SurfaceContext,
    private readonly store: TaktikalStore,
  ) {}

  /** By ProcessKey, or any other id the tenant's request was shown under (as /v1 accepts). */
  async find(tenantId: string, processKey: string): Promise<TaktikalProcess> {
    const request = await getSignatureRequest(this.context.deps, tenantId, processKey);
    const [process] = await this.describe(tenantId, [request]);
    return process!;
  }

  async describe(tenantId: string, requests: readonly SignatureRequest[]): Promise<TaktikalProcess[]> {
    const visible = requests;
    const details = await this.store.processDetails(
      tenantId,
      visible.map((request) => request.id),
    );
    const sequenceKeys = new Map<string, string | null>();
    for (const sequenceId of new Set(visible.flatMap((request) => (request.sequenceId ? [request.sequenceId] : [])))) {
      sequenceKeys.set(sequenceId, (await getSequence(this.context.deps, tenantId, sequenceId)).alias);
    }
    return visible.map((request) => ({
      request,
      processKey: processKeyOf(request),
      details: details.get(request.id),
      sequenceKey: request.sequenceId ? (sequenceKeys.get(request.sequenceId) ?? null) : null,
    }));
  }

  /** A sequence by its SequenceKey, with its processes in creation order. */
  async sequence(tenantId: string, sequenceKey: string): Promise<SequenceView> {
    const sequence = await getSequence(this.context.deps, tenantId, sequenceKey);
    // Only sequences made through this surface (they have a row of ours) answer to a SequenceKey.
    const details = await this.store.sequenceDetails(tenantId, sequence.id);
    if (sequence.alias !== sequenceKey || !details) throw notFound('Sequence');
    const requests = await Promise.all(
      sequence.requestIds.map((id) => getSignatureRequest(this.context.deps, tenantId, id)),
    );
    return { id: sequence.id, key: sequenceKey, details, processes: await this.describe(tenantId, requests) };
  }

  /** The sequence a process belongs to, by the core's sequence id. */
  async sequenceById(tenantId: string, sequenceId: string): Promise<SequenceView | undefined> {
    const sequence = await getSequence(this.context.deps, tenantId, sequenceId);
    return sequence.alias ? this.sequence(tenantId, sequence.alias) : undefined;
  }
}
