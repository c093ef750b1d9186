import { notFound } from '../errors.js';
import type { SignatureRequest } from '../model.js';
import type { Tx } from '../ports.js';

/** Loads a tenant's request by any id a surface showed for it; another tenant's id is not found. */
export async function findRequest(tx: Tx, tenantId: string, anyId: string): Promise<SignatureRequest> {
  const id = await tx.requests.resolveId(tenantId, anyId);
  const request = id === undefined ? undefined : await tx.requests.get(tenantId, id);
  if (!request) throw notFound();
  return request;
}
