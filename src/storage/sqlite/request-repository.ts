/** Signature requests, signers and aliases in SQLite. Status changes are compare-and-set. */
import type Database from 'better-sqlite3';
import type { SignatureRequest } from '../../core/model.js';
import type {
  NewRequestRecord,
  RequestFilter,
  RequestStatusChange,
  SignatureRequestRepository,
  SignerStatusChange,
} from '../../core/ports.js';
import type { RequestStatus } from '../../core/state-machine.js';
import { PENDING_CANCELLATION_JSON } from './pending-cancellation-repository.js';
import { toRequest, type RequestRow, type SignerRow } from './rows.js';

// The request's columns in a fixed order: hot reads fetch rows as arrays (better-sqlite3's `raw`),
// which measured about twice as fast as letting the driver build an object of 26 named columns.
const REQUEST_COLUMNS = `r.id, r.tenant_id, r.title, r.status, r.owner_email, r.message, r.sequence_id, r.document_id, r.origin,
  r.created_at, r.updated_at, r.expires_at, r.completed_at, r.version, r.cancelled_at, r.cancel_actor, r.cancel_reason,
  r.cancel_message, r.cancel_reason_code, r.cancel_notify, d.filename, d.size, d.sha256, d.page_count, d.purged_at,
  ${PENDING_CANCELLATION_JSON}`;

type RequestValues = [
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string,
  number,
  number,
  number,
  number | null,
  number,
  number | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  number,
  string,
  number,
  number | null,
  string | null,
];

function requestRowOf(v: RequestValues): RequestRow {
  return {
    id: v[0],
    tenant_id: v[1],
    title: v[2],
    status: v[3],
    owner_email: v[4],
    message: v[5],
    sequence_id: v[6],
    document_id: v[7],
    origin: v[8],
    created_at: v[9],
    updated_at: v[10],
    expires_at: v[11],
    completed_at: v[12],
    version: v[13],
    cancelled_at: v[14],
    cancel_actor: v[15],
    cancel_reason: v[16],
    cancel_message: v[17],
    cancel_reason_code: v[18],
    cancel_notify: v[19],
    filename: v[20],
    size: v[21],
    sha256: v[22],
    page_count: v[23],
    purged_at: v[24],
    pending_cancellation: v[25],
  };
}

type SignerValues = [
  string,
  string,
  string,
  string,
  number,
  string,
  number | null,
  number | null,
  number | null,
  string | null,
];

function signerRowOf(v: SignerValues): SignerRow {
  return {
    id: v[0],
    request_id: v[1],
    name: v[2],
    email: v[3],
    sign_order: v[4],
    status: v[5],
    viewed_at: v[6],
    signed_at: v[7],
    declined_at: v[8],
    decline_reason: v[9],
  };
}

// One query per request: its signers and aliases come along as JSON aggregates (the last two values).
const SELECT_REQUEST = `SELECT ${REQUEST_COLUMNS},
    (SELECT json_group_array(json_object('id', s.id, 'request_id', s.request_id, 'name', s.name, 'email', s.email,
        'sign_order', s.sign_order, 'status', s.status, 'viewed_at', s.viewed_at, 'signed_at', s.signed_at,
        'declined_at', s.declined_at, 'decline_reason', s.decline_reason))
      FROM (SELECT * FROM signers WHERE request_id = r.id ORDER BY sign_order, position) s) AS signers_json,
    (SELECT json_group_array(json_object('kind', a.kind, 'value', a.value)) FROM request_aliases a WHERE a.request_id = r.id) AS aliases_json
  FROM signature_requests r JOIN documents d ON d.id = r.document_id`;

// A status change and its compare-and-set guard, for one request or many.
const CHANGE_STATUS = `UPDATE signature_requests SET status = @to, updated_at = @now, version = version + 1,
    completed_at = COALESCE(@completedAt, completed_at),
    cancelled_at = COALESCE(@cancelledAt, cancelled_at), cancel_actor = COALESCE(@cancelActor, cancel_actor),
    cancel_reason = COALESCE(@cancelReason, cancel_reason), cancel_message = COALESCE(@cancelMessage, cancel_message),
    cancel_reason_code = COALESCE(@cancelReasonCode, cancel_reason_code), cancel_notify = COALESCE(@cancelNotify, cancel_notify)`;
const CHANGE_GUARD = `status IN (SELECT value FROM json_each(@from))
    AND (@requireNoActiveSession = 0 OR NOT EXISTS (SELECT 1 FROM sign_sessions s
      WHERE s.request_id = signature_requests.id AND s.ended_at IS NULL AND s.expires_at > @now))`;

function groupBy<T extends { request_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.request_id);
    if (group) group.push(row);
    else groups.set(row.request_id, [row]);
  }
  return groups;
}

type StatusChangeFields = Omit<RequestStatusChange, 'requestId'>;

function changeParams(change: StatusChangeFields): Record<string, string | number | null> {
  const cancellation = change.cancellation;
  return {
    to: change.to,
    now: change.now,
    from: JSON.stringify(change.from),
    requireNoActiveSession: change.requireNoActiveSession ? 1 : 0,
    completedAt: change.completedAt ?? null,
    cancelledAt: cancellation?.cancelledAt ?? null,
    cancelActor: cancellation ? JSON.stringify(cancellation.actor) : null,
    cancelReason: cancellation?.reason ?? null,
    cancelMessage: cancellation?.message ?? null,
    cancelReasonCode: cancellation?.reasonCode ?? null,
    cancelNotify: cancellation?.notify ?? null,
  };
}

export function createRequestRepository(db: Database.Database): SignatureRequestRepository {
  const statements = {
    insertDocument: db.prepare(
      'INSERT INTO documents (id, tenant_id, filename, size, sha256, page_count) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertBlob: db.prepare('INSERT INTO document_blobs (document_id, content) VALUES (?, ?)'),
    insertRequest: db.prepare(`INSERT INTO signature_requests
      (id, tenant_id, title, status, owner_email, message, sequence_id, document_id, origin, created_at, updated_at, expires_at)
      VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertSigner: db.prepare(`INSERT INTO signers (id, request_id, tenant_id, position, name, email, sign_order, status)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    insertAlias: db.prepare('INSERT INTO request_aliases (tenant_id, value, kind, request_id) VALUES (?, ?, ?, ?)'),
    resolveOwn: db.prepare('SELECT id FROM signature_requests WHERE id = ? AND tenant_id = ?').pluck(),
    resolveAlias: db.prepare('SELECT request_id FROM request_aliases WHERE tenant_id = ? AND value = ?').pluck(),
    inSequence: db
      .prepare('SELECT id FROM signature_requests WHERE tenant_id = ? AND sequence_id = ? ORDER BY id')
      .pluck(),
    bySigner: db.prepare('SELECT tenant_id AS tenantId, request_id AS requestId FROM signers WHERE id = ?'),
    touch: db.prepare(`UPDATE signature_requests SET version = version + 1, updated_at = ?
      WHERE id = ? AND status IN (SELECT value FROM json_each(?))`),
    changeStatus: db.prepare(`${CHANGE_STATUS} WHERE id = @id AND ${CHANGE_GUARD}`),
    changeStatusMany: db
      .prepare(`${CHANGE_STATUS} WHERE id IN (SELECT value FROM json_each(@ids)) AND ${CHANGE_GUARD} RETURNING id`)
      .pluck(),
    manySigners: db
      .prepare(
        `SELECT id, request_id, name, email, sign_order, status, viewed_at, signed_at, declined_at, decline_reason
      FROM signers WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY request_id, sign_order, position`,
      )
      .raw(),
    manyAliases: db.prepare(
      'SELECT request_id, kind, value FROM request_aliases WHERE request_id IN (SELECT value FROM json_each(?))',
    ),
    changeSigner: db.prepare(`UPDATE signers SET status = @to,
        viewed_at = CASE WHEN @to = 'viewed' THEN @now ELSE viewed_at END,
        signed_at = CASE WHEN @to = 'signed' THEN @now ELSE signed_at END,
        declined_at = CASE WHEN @to = 'declined' THEN @now ELSE declined_at END,
        decline_reason = COALESCE(@declineReason, decline_reason), signature = COALESCE(@signature, signature)
      WHERE id = @id AND status IN (SELECT value FROM json_each(@from))`),
    changeExpiry: db.prepare(`UPDATE signature_requests SET expires_at = ?, updated_at = ?, version = version + 1
      WHERE id = ? AND status IN (SELECT value FROM json_each(?))`),
    due: db.prepare(`SELECT tenant_id AS tenantId, id FROM signature_requests
      WHERE status IN ('pending', 'partially_signed') AND expires_at <= ? LIMIT ?`),
  };

  // The reads of whole requests name pending_cancellations (migration 011): prepared on first use, so
  // that a database of an older schema can still be written through this repository (migration tests).
  let reads: { get: Database.Statement; manyRows: Database.Statement } | undefined;
  const requestReads = () =>
    (reads ??= {
      get: db.prepare(`${SELECT_REQUEST} WHERE r.id = ? AND r.tenant_id = ?`).raw(),
      // Many at once: rows, then all their signers and aliases in one query each (per-row JSON
      // aggregates cost more than the grouping here once there are thousands).
      manyRows: db
        .prepare(
          `SELECT ${REQUEST_COLUMNS} FROM signature_requests r JOIN documents d ON d.id = r.document_id
      WHERE r.id IN (SELECT value FROM json_each(?)) AND r.tenant_id = ?`,
        )
        .raw(),
    });

  const load = (tenantId: string, id: string): SignatureRequest | undefined => {
    const values = requestReads().get.get(id, tenantId) as [...RequestValues, string, string] | undefined;
    if (!values) return undefined;
    const signers = JSON.parse(values[26]) as SignerRow[];
    const aliases = JSON.parse(values[27]) as { kind: string; value: string }[];
    return toRequest(requestRowOf(values.slice(0, 26) as RequestValues), signers, aliases);
  };

  const filterSql = (
    tenantId: string,
    filter: RequestFilter,
    afterId?: string,
  ): { where: string; params: unknown[] } => {
    const clauses = ['r.tenant_id = ?'];
    const params: unknown[] = [tenantId];
    if (filter.statuses?.length) {
      clauses.push('r.status IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.statuses));
    }
    if (filter.createdFrom !== undefined) (clauses.push('r.created_at >= ?'), params.push(filter.createdFrom));
    if (filter.createdTo !== undefined) (clauses.push('r.created_at < ?'), params.push(filter.createdTo));
    if (filter.sequenceId !== undefined) (clauses.push('r.sequence_id = ?'), params.push(filter.sequenceId));
    if (filter.signerEmail !== undefined) {
      clauses.push('EXISTS (SELECT 1 FROM signers s WHERE s.request_id = r.id AND s.email = ?)');
      params.push(filter.signerEmail.toLowerCase());
    }
    if (afterId !== undefined) (clauses.push('r.id < ?'), params.push(afterId));
    return { where: clauses.join(' AND '), params };
  };

  return {
    async insert(record: NewRequestRecord) {
      const { document } = record;
      statements.insertDocument.run(
        document.id,
        record.tenantId,
        document.filename,
        document.size,
        document.sha256,
        document.pageCount,
      );
      statements.insertBlob.run(
        document.id,
        Buffer.from(record.documentBytes.buffer, record.documentBytes.byteOffset, record.documentBytes.byteLength),
      );
      statements.insertRequest.run(
        record.id,
        record.tenantId,
        record.title,
        record.ownerEmail,
        record.message,
        record.sequenceId,
        document.id,
        record.origin,
        record.createdAt,
        record.createdAt,
        record.expiresAt,
      );
      record.signers.forEach((signer, position) =>
        statements.insertSigner.run(
          signer.id,
          record.id,
          record.tenantId,
          position,
          signer.name,
          signer.email,
          signer.order,
          signer.status,
        ),
      );
      for (const [kind, value] of Object.entries(record.aliases))
        statements.insertAlias.run(record.tenantId, value, kind, record.id);
    },
    async get(tenantId, id) {
      return load(tenantId, id);
    },
    async getMany(tenantId, ids) {
      const found = new Map<string, SignatureRequest>();
      if (ids.length === 0) return found;
      const rows = (requestReads().manyRows.all(JSON.stringify(ids), tenantId) as RequestValues[]).map(requestRowOf);
      const ownIds = JSON.stringify(rows.map((row) => row.id));
      const signersOf = groupBy((statements.manySigners.all(ownIds) as SignerValues[]).map(signerRowOf));
      const aliasesOf = groupBy(
        statements.manyAliases.all(ownIds) as { request_id: string; kind: string; value: string }[],
      );
      for (const row of rows)
        found.set(row.id, toRequest(row, signersOf.get(row.id) ?? [], aliasesOf.get(row.id) ?? []));
      return found;
    },
    async resolveId(tenantId, anyId) {
      return (statements.resolveOwn.get(anyId, tenantId) ?? statements.resolveAlias.get(tenantId, anyId)) as
        string | undefined;
    },
    async addAlias(tenantId, requestId, kind, value) {
      statements.insertAlias.run(tenantId, value, kind, requestId);
    },
    async list(tenantId, filter, afterId, limit) {
      const { where, params } = filterSql(tenantId, filter, afterId);
      const ids = db
        .prepare(`SELECT r.id FROM signature_requests r WHERE ${where} ORDER BY r.id DESC LIMIT ?`)
        .pluck()
        .all(...params, limit) as string[];
      return ids
        .map((id) => load(tenantId, id))
        .filter((request): request is SignatureRequest => request !== undefined);
    },
    async listIds(tenantId, filter, limit) {
      const { where, params } = filterSql(tenantId, filter);
      return db
        .prepare(`SELECT r.id FROM signature_requests r WHERE ${where} ORDER BY r.id LIMIT ?`)
        .pluck()
        .all(...params, limit) as string[];
    },
    async idsInSequence(tenantId, sequenceId) {
      return statements.inSequence.all(tenantId, sequenceId) as string[];
    },
    async findBySigner(signerId) {
      return statements.bySigner.get(signerId) as { tenantId: string; requestId: string } | undefined;
    },
    async touch(requestId, from, now) {
      return statements.touch.run(now, requestId, JSON.stringify(from)).changes === 1;
    },
    async changeStatus(change: RequestStatusChange) {
      return statements.changeStatus.run({ ...changeParams(change), id: change.requestId }).changes === 1;
    },
    async changeStatusMany({ requestIds, ...change }) {
      if (requestIds.length === 0) return new Set();
      return new Set(
        statements.changeStatusMany.all({ ...changeParams(change), ids: JSON.stringify(requestIds) }) as string[],
      );
    },
    async changeSignerStatus(change: SignerStatusChange) {
      return (
        statements.changeSigner.run({
          id: change.signerId,
          to: change.to,
          now: change.now,
          from: JSON.stringify(change.from),
          declineReason: change.declineReason ?? null,
          signature: change.signature ? JSON.stringify(change.signature) : null,
        }).changes === 1
      );
    },
    async changeExpiry(requestId, from: readonly RequestStatus[], expiresAt, now) {
      return statements.changeExpiry.run(expiresAt, now, requestId, JSON.stringify(from)).changes === 1;
    },
    async dueForExpiry(now, limit) {
      return statements.due.all(now, limit) as { tenantId: string; id: string }[];
    },
  };
}
