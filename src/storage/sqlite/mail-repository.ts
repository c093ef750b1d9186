/** The mail archive: mails kept in SQLite when no SMTP server is configured (`tx.mails`). */
import type Database from 'better-sqlite3';
import type { ArchivedMail, MailRepository } from '../../delivery/ports.js';

interface MailRow {
  id: string;
  tenant_id: string;
  idempotency_key: string;
  message_id: string;
  outbox_id: string;
  template: string;
  request_id: string | null;
  to_address: string;
  to_name: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  headers: string;
  attachments: string;
  created_at: number;
}

function toMail(row: MailRow): ArchivedMail {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    idempotencyKey: row.idempotency_key,
    messageId: row.message_id,
    outboxId: row.outbox_id,
    template: row.template,
    requestId: row.request_id,
    to: { name: row.to_name, address: row.to_address },
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: JSON.parse(row.headers) as Record<string, string>,
    attachments: JSON.parse(row.attachments) as ArchivedMail['attachments'],
    createdAt: row.created_at,
  };
}

export function createMailRepository(db: Database.Database): MailRepository {
  const insert = db.prepare(`INSERT INTO mails
    (id, tenant_id, idempotency_key, message_id, outbox_id, template, request_id, to_address, to_name, subject, text_body, html_body, headers, attachments, created_at)
    VALUES (@id, @tenantId, @idempotencyKey, @messageId, @outboxId, @template, @requestId, @toAddress, @toName, @subject, @text, @html, @headers, @attachments, @createdAt)
    ON CONFLICT (idempotency_key) DO NOTHING`);
  const list = db.prepare(`SELECT * FROM mails WHERE tenant_id = @tenantId
    AND (@before IS NULL OR id < @before) AND (@requestId IS NULL OR request_id = @requestId)
    ORDER BY id DESC LIMIT @limit`);
  return {
    async keep(mail) {
      insert.run({
        id: mail.id,
        tenantId: mail.tenantId,
        idempotencyKey: mail.idempotencyKey,
        messageId: mail.messageId,
        outboxId: mail.outboxId,
        template: mail.template,
        requestId: mail.requestId,
        toAddress: mail.to.address,
        toName: mail.to.name,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: JSON.stringify(mail.headers),
        attachments: JSON.stringify(mail.attachments),
        createdAt: mail.createdAt,
      });
    },
    async list(tenantId, query) {
      const rows = list.all({
        tenantId,
        before: query.beforeId ?? null,
        requestId: query.requestId ?? null,
        limit: query.limit,
      }) as MailRow[];
      return rows.map(toMail);
    },
  };
}
