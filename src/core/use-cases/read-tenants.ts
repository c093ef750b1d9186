/** The operator's view of tenants (the CLI): every tenant, or one by id. */
import type { Tenant } from '../model.js';
import type { CoreDeps } from '../ports.js';

export async function listTenants(deps: CoreDeps): Promise<Tenant[]> {
  return deps.store.read((tx) => tx.tenants.list());
}

export async function getTenant(deps: CoreDeps, tenantId: string): Promise<Tenant | undefined> {
  return deps.store.read((tx) => tx.tenants.get(tenantId));
}
