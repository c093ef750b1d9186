/** Tenants (`tx.tenants`). */
import type Database from 'better-sqlite3';
import type { Tenant } from '../../core/model.js';
import type { TenantRepository } from '../../core/ports.js';

export function createTenantRepository(db: Database.Database): TenantRepository {
  const q = {
    insert: db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)'),
    get: db.prepare('SELECT id, name, created_at AS createdAt FROM tenants WHERE id = ?'),
    list: db.prepare('SELECT id, name, created_at AS createdAt FROM tenants ORDER BY created_at, id'),
  };
  return {
    async insert(tenant) {
      q.insert.run(tenant.id, tenant.name, tenant.createdAt);
    },
    async get(id) {
      return q.get.get(id) as Tenant | undefined;
    },
    async list() {
      return q.list.all() as Tenant[];
    },
  };
}
