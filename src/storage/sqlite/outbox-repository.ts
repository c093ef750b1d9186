/** The transitions' side of the outbox (`tx.outbox`): rows written with the change they follow from. */
import type Database from 'better-sqlite3';
import type { OutboxMessage, OutboxRepository } from '../../core/ports.js';
import { multiRowInsert } from './multi-row.js';

function outboxRow(message: OutboxMessage): unknown[] {
  return [
    message.id,
    message.tenantId,
    message.topic,
    JSON.stringify(message.payload),
    message.availableAt,
    message.createdAt,
  ];
}

export function createOutboxRepository(db: Database.Database): OutboxRepository {
  const enqueue = db.prepare(
    'INSERT INTO outbox (id, tenant_id, topic, payload, available_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertMany = multiRowInsert(db, 'outbox', [
    'id',
    'tenant_id',
    'topic',
    'payload',
    'available_at',
    'created_at',
  ]);
  return {
    async enqueue(message) {
      enqueue.run(...outboxRow(message));
    },
    async enqueueMany(messages) {
      insertMany(messages.map(outboxRow));
    },
  };
}
