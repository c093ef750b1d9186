/** "Proceed to Sign" sessions (`tx.sessions`). */
import type Database from 'better-sqlite3';
import type { SignSession } from '../../core/model.js';
import type { SessionRepository } from '../../core/ports.js';

interface SessionRow {
  id: string;
  request_id: string;
  signer_id: string;
  started_at: number;
  expires_at: number;
  ended_at: number | null;
}

function toSession(row: SessionRow): SignSession {
  return {
    id: row.id,
    requestId: row.request_id,
    signerId: row.signer_id,
    startedAt: row.started_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
  };
}

export function createSessionRepository(db: Database.Database): SessionRepository {
  const q = {
    open: db.prepare(
      'INSERT INTO sign_sessions (id, request_id, signer_id, started_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    active: db.prepare('SELECT * FROM sign_sessions WHERE request_id = ? AND ended_at IS NULL AND expires_at > ?'),
    activeOfSigner: db.prepare(
      'SELECT * FROM sign_sessions WHERE signer_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY started_at DESC LIMIT 1',
    ),
    end: db.prepare('UPDATE sign_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
    historyOfSigner:
      db.prepare(`SELECT s.*, (SELECT count(*) FROM sign_sessions c WHERE c.signer_id = s.signer_id) AS count
      FROM sign_sessions s WHERE s.signer_id = ? ORDER BY s.started_at DESC, s.id DESC LIMIT 1`),
  };
  return {
    async open(session) {
      q.open.run(session.id, session.requestId, session.signerId, session.startedAt, session.expiresAt);
    },
    async active(requestId, now) {
      return (q.active.all(requestId, now) as SessionRow[]).map(toSession);
    },
    async activeForSigner(signerId, now) {
      const row = q.activeOfSigner.get(signerId, now) as SessionRow | undefined;
      return row && toSession(row);
    },
    async end(sessionId, now) {
      q.end.run(now, sessionId);
    },
    async historyOfSigner(signerId) {
      const row = q.historyOfSigner.get(signerId) as (SessionRow & { count: number }) | undefined;
      return row ? { count: row.count, latest: toSession(row) } : { count: 0, latest: undefined };
    },
  };
}
