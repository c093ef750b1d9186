/** A tenant's credentials of some kinds, a page at a time, without anything secret. */
import { summarizeCredential, type CredentialSummary } from '../credential-summary.js';
import type { CoreDeps, CredentialStatus } from '../ports.js';

export const CREDENTIAL_STATUSES = ['active', 'expired', 'revoked'] as const satisfies readonly CredentialStatus[];

export interface ListCredentialsQuery {
  readonly kinds: readonly string[];
  readonly status?: CredentialStatus;
  readonly after?: string;
  readonly limit: number;
}

export async function listCredentials(
  deps: CoreDeps,
  tenantId: string,
  query: ListCredentialsQuery,
): Promise<{ items: CredentialSummary[]; nextCursor: string | null }> {
  const now = deps.clock.now();
  const records = await deps.store.read((tx) =>
    tx.credentials.page(tenantId, {
      kinds: query.kinds,
      now,
      limit: query.limit + 1,
      ...(query.status ? { status: query.status } : {}),
      ...(query.after ? { afterId: query.after } : {}),
    }),
  );
  const page = records.slice(0, query.limit);
  return {
    items: page.map((record) => summarizeCredential(record, now)),
    nextCursor: records.length > query.limit ? page.at(-1)!.id : null,
  };
}
