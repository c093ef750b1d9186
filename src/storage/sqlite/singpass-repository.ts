/**
 * The Singpass surface's tables in SQLite (`tx.singpass`). Like every repository, it runs inside
 * the transaction it is reached through: a jti is claimed in a transaction of its own (a claimed
 * jti must never be rolled back by a later refusal), a sign request with its core request.
 */
import type Database from 'better-sqlite3';
import type { JSONWebKeySet } from 'jose';
import type {
  SigningLocation,
  SingpassClientRecord,
  SingpassRepository,
  SingpassSignRequestRecord,
} from '../provider-repositories.js';

interface ClientRow {
  client_id: string;
  tenant_id: string;
  jwks_url: string | null;
  jwks_json: string | null;
  allow_private_jwks_url: number;
  created_at: number;
}
interface SignRequestRow {
  request_id: string;
  tenant_id: string;
  client_id: string;
  exchange_code_hash: string;
  signing_location: string;
  created_at: number;
}

function toClient(row: ClientRow): SingpassClientRecord {
  return {
    clientId: row.client_id,
    tenantId: row.tenant_id,
    jwksUrl: row.jwks_url,
    jwks: row.jwks_json === null ? null : (JSON.parse(row.jwks_json) as JSONWebKeySet),
    allowPrivateJwksUrl: row.allow_private_jwks_url === 1,
    createdAt: row.created_at,
  };
}

function toSignRequest(row: SignRequestRow): SingpassSignRequestRecord {
  return {
    requestId: row.request_id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    exchangeCodeHash: row.exchange_code_hash,
    signingLocation: JSON.parse(row.signing_location) as SigningLocation,
    createdAt: row.created_at,
  };
}

// Pruning is bounded so that one unlucky request never pays for a large backlog.
const PRUNE_BATCH = 500;

export function createSingpassRepository(db: Database.Database): SingpassRepository {
  const q = {
    insertClient:
      db.prepare(`INSERT INTO singpass_clients (client_id, tenant_id, jwks_url, jwks_json, allow_private_jwks_url, created_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING`),
    getClient: db.prepare('SELECT * FROM singpass_clients WHERE client_id = ?'),
    listClients: db.prepare('SELECT * FROM singpass_clients WHERE tenant_id = ? ORDER BY created_at, client_id'),
    pruneJtis: db.prepare(`DELETE FROM singpass_used_jtis WHERE (client_id, jti) IN
      (SELECT client_id, jti FROM singpass_used_jtis WHERE expires_at < ? LIMIT ${PRUNE_BATCH})`),
    claimJti: db.prepare(
      'INSERT INTO singpass_used_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    insertSignRequest: db.prepare(`INSERT INTO singpass_sign_requests
      (request_id, tenant_id, client_id, exchange_code_hash, signing_location, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
    getSignRequest: db.prepare('SELECT * FROM singpass_sign_requests WHERE request_id = ?'),
    byExchangeCode: db.prepare('SELECT * FROM singpass_sign_requests WHERE exchange_code_hash = ?'),
  };
  return {
    async insertClient(client) {
      const inserted = q.insertClient.run(
        client.clientId,
        client.tenantId,
        client.jwksUrl,
        client.jwks === null ? null : JSON.stringify(client.jwks),
        client.allowPrivateJwksUrl ? 1 : 0,
        client.createdAt,
      );
      return inserted.changes === 1;
    },
    async getClient(clientId) {
      const row = q.getClient.get(clientId) as ClientRow | undefined;
      return row && toClient(row);
    },
    async listClients(tenantId) {
      return (q.listClients.all(tenantId) as ClientRow[]).map(toClient);
    },
    async claimJti(clientId, jti, expiresAtMs, now) {
      q.pruneJtis.run(now);
      return q.claimJti.run(clientId, jti, expiresAtMs).changes === 1;
    },
    async insertSignRequest(record) {
      q.insertSignRequest.run(
        record.requestId,
        record.tenantId,
        record.clientId,
        record.exchangeCodeHash,
        JSON.stringify(record.signingLocation),
        record.createdAt,
      );
    },
    async getSignRequest(requestId) {
      const row = q.getSignRequest.get(requestId) as SignRequestRow | undefined;
      return row && toSignRequest(row);
    },
    async findSignRequestByExchangeCodeHash(hash) {
      const row = q.byExchangeCode.get(hash) as SignRequestRow | undefined;
      return row && toSignRequest(row);
    },
  };
}
