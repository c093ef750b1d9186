import { notFound } from '../errors.js';
import type { SignatureRequest } from '../model.js';
import type { Tx } from '../ports.js';

/** Loads a tenant's request by any id a surface showed for it; another tenant's id is not found. */
export async function findRequest(tx: Tx, tenantId: string, anyId: string): Promise<SignatureRequest> {
  // Most callers pass the request's own id: try it first, then the aliases surfaces showed.
  const direct = await tx.requests.get(tenantId, anyId);
  if (direct) return direct;
  const id = await tx.requests.resolveId(tenantId, anyId);
  const request = id === undefined || id === anyId ? undefined : await tx.requests.get(tenantId, id);
  if (!request) throw notFound();
  return request;
}
