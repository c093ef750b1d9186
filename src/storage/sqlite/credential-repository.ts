/** Credentials of every kind (`tx.credentials`): a lookup, the secret's hash, scopes, expiry, revocation. */
import type Database from 'better-sqlite3';
import type { CredentialRecord, CredentialRepository } from '../../core/ports.js';

interface CredentialRow {
  id: string;
  tenant_id: string;
  kind: string;
  lookup: string;
  secret_hash: string;
  scopes: string;
  label: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  sealed_secret: string | null;
}

function toCredential(row: CredentialRow): CredentialRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    lookup: row.lookup,
    secretHash: row.secret_hash,
    scopes: JSON.parse(row.scopes) as string[],
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    sealedSecret: row.sealed_secret,
  };
}

export function createCredentialRepository(db: Database.Database): CredentialRepository {
  const q = {
    insert: db.prepare(`INSERT INTO credentials
      (id, tenant_id, kind, lookup, secret_hash, scopes, label, created_at, expires_at, revoked_at, sealed_secret)
      VALUES (@id, @tenantId, @kind, @lookup, @secretHash, @scopes, @label, @createdAt, @expiresAt, @revokedAt, @sealedSecret)`),
    byLookup: db.prepare('SELECT * FROM credentials WHERE kind = ? AND lookup = ?'),
    ofTenant: db.prepare(
      'SELECT * FROM credentials WHERE tenant_id = ? AND (? IS NULL OR kind = ?) ORDER BY created_at',
    ),
    oneOfTenant: db.prepare('SELECT * FROM credentials WHERE tenant_id = ? AND id = ?'),
    // Status is judged at @now: active = neither revoked nor expired; a revoked credential is "revoked" even once past its expiry.
    page: db.prepare(`SELECT * FROM credentials
      WHERE tenant_id = @tenantId AND kind IN (SELECT value FROM json_each(@kinds)) AND id > @afterId
        AND (@status IS NULL
          OR (@status = 'revoked' AND revoked_at IS NOT NULL)
          OR (@status = 'expired' AND revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= @now)
          OR (@status = 'active' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)))
      ORDER BY id LIMIT @limit`),
    revoke: db.prepare('UPDATE credentials SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL'),
  };
  return {
    async insert(credential) {
      q.insert.run({ ...credential, scopes: JSON.stringify(credential.scopes) });
    },
    async findByLookup(kind, lookup) {
      const row = q.byLookup.get(kind, lookup) as CredentialRow | undefined;
      return row && toCredential(row);
    },
    async listForTenant(tenantId, kind) {
      return (q.ofTenant.all(tenantId, kind ?? null, kind ?? null) as CredentialRow[]).map(toCredential);
    },
    async get(tenantId, id) {
      const row = q.oneOfTenant.get(tenantId, id) as CredentialRow | undefined;
      return row && toCredential(row);
    },
    async page(tenantId, query) {
      const rows = q.page.all({
        tenantId,
        kinds: JSON.stringify(query.kinds),
        afterId: query.afterId ?? '',
        status: query.status ?? null,
        now: query.now,
        limit: query.limit,
      }) as CredentialRow[];
      return rows.map(toCredential);
    },
    async revoke(tenantId, id, now) {
      return q.revoke.run(now, tenantId, id).changes === 1;
    },
  };
}
