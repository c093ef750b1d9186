import type { SignatureRequest } from '../model.js';
import type { CoreDeps, RequestFilter } from '../ports.js';
import { findRequest } from './find-request.js';

export async function getSignatureRequest(deps: CoreDeps, tenantId: string, anyId: string): Promise<SignatureRequest> {
  return deps.store.read((tx) => findRequest(tx, tenantId, anyId));
}

export interface RequestPage {
  readonly items: readonly SignatureRequest[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Newest first. The cursor is the last id seen (ids sort by creation time). */
export async function listSignatureRequests(
  deps: CoreDeps,
  tenantId: string,
  filter: RequestFilter,
  cursor: string | undefined,
  limit: number,
): Promise<RequestPage> {
  const rows = await deps.store.read((tx) => tx.requests.list(tenantId, filter, cursor, limit + 1));
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
