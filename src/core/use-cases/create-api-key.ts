/** One more native API key for a tenant, with scopes and an optional expiry; the key is shown once. */
import type { CredentialSummary } from '../credential-summary.js';
import type { CallContext, Scope } from '../model.js';
import type { CoreDeps } from '../ports.js';
import { issueCredential, type CredentialIssuer } from './issue-credential.js';
import { mintNativeKey } from './manage-tenants.js';

export interface CreateApiKeyInput {
  readonly tenantId: string;
  readonly scopes: readonly Scope[];
  readonly label: string | null;
  readonly expiresAt: number | null;
  /** The key that asks (API calls): the new key may hold no scope and no lifetime beyond its own. */
  readonly issuer?: CredentialIssuer;
  readonly context: CallContext;
}

export async function createApiKey(
  deps: CoreDeps,
  input: CreateApiKeyInput,
): Promise<{ key: string; credential: CredentialSummary }> {
  const minted = mintNativeKey(deps.ids, input.scopes, input.label, input.expiresAt);
  const credential = await issueCredential(deps, {
    tenantId: input.tenantId,
    credential: minted.credential,
    context: input.context,
    ...(input.issuer ? { issuer: input.issuer } : {}),
  });
  return { key: minted.key, credential };
}
