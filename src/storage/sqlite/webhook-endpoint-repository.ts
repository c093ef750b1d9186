import type Database from 'better-sqlite3';
import type { WebhookEndpointRecord, WebhookEndpointRepository } from '../../core/ports.js';

interface EndpointRow {
  id: string;
  tenant_id: string;
  format: string;
  url: string;
  events: string;
  sealed_secret: string | null;
  sealed_header: string | null;
  description: string | null;
  external_id: string | null;
  created_at: number;
  disabled_at: number | null;
}

function toEndpoint(row: EndpointRow): WebhookEndpointRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    format: row.format as WebhookEndpointRecord['format'],
    url: row.url,
    events: JSON.parse(row.events) as string[],
    sealedSecret: row.sealed_secret,
    sealedHeader: row.sealed_header,
    description: row.description,
    externalId: row.external_id,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

export function createWebhookEndpointRepository(db: Database.Database): WebhookEndpointRepository {
  const q = {
    insert: db.prepare(`INSERT INTO webhook_endpoints
      (id, tenant_id, format, url, events, sealed_secret, sealed_header, description, external_id, created_at, disabled_at)
      VALUES (@id, @tenantId, @format, @url, @events, @sealedSecret, @sealedHeader, @description, @externalId, @createdAt, @disabledAt)`),
    get: db.prepare('SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND id = ?'),
    list: db.prepare(
      'SELECT * FROM webhook_endpoints WHERE tenant_id = ? AND (? IS NULL OR format = ?) ORDER BY created_at, id',
    ),
    disable: db.prepare(
      'UPDATE webhook_endpoints SET disabled_at = ? WHERE tenant_id = ? AND id = ? AND disabled_at IS NULL',
    ),
    hasLive: db.prepare('SELECT 1 FROM webhook_endpoints WHERE tenant_id = ? AND disabled_at IS NULL LIMIT 1').pluck(),
  };
  return {
    async insert(endpoint) {
      q.insert.run({ ...endpoint, events: JSON.stringify(endpoint.events) });
    },
    async get(tenantId, id) {
      const row = q.get.get(tenantId, id) as EndpointRow | undefined;
      return row && toEndpoint(row);
    },
    async listForTenant(tenantId, format) {
      return (q.list.all(tenantId, format ?? null, format ?? null) as EndpointRow[]).map(toEndpoint);
    },
    async hasLive(tenantId) {
      return q.hasLive.get(tenantId) !== undefined;
    },
    async disable(tenantId, id, now) {
      return q.disable.run(now, tenantId, id).changes === 1;
    },
  };
}
