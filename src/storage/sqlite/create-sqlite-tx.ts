/**
 * The SQLite transaction object: every table's repository, each made by its own factory on the
 * store's one connection. The store builds it once (statements are prepared then) and hands the
 * same object to every transaction and read: a repository is only ever used through the `tx` a
 * transaction was given, while the store's lock is held.
 */
import type Database from 'better-sqlite3';
import type { StoreTx } from '../store-tx.js';
import { createAuditRepository } from './audit-repository.js';
import { createCredentialRepository } from './credential-repository.js';
import { createDocumentCopyRepository } from './document-copy-repository.js';
import { createDocumentRepository } from './document-repository.js';
import { createIdempotencyRepository } from './idempotency-repository.js';
import { createKaizenRequestNumberRepository } from './kaizen-request-number-repository.js';
import { createMailRepository } from './mail-repository.js';
import { createOutboxQueueRepository } from './outbox-queue.js';
import { createOutboxRepository } from './outbox-repository.js';
import { createPendingCancellationRepository } from './pending-cancellation-repository.js';
import { createRequestRepository } from './request-repository.js';
import { createSequenceRepository } from './sequence-repository.js';
import { createSessionRepository } from './session-repository.js';
import { createSingpassRepository } from './singpass-repository.js';
import { createTaktikalRepository } from './taktikal-repository.js';
import { createTenantRepository } from './tenant-repository.js';
import { createWebhookAttemptRepository } from './webhook-attempt-repository.js';
import { createWebhookEndpointRepository } from './webhook-endpoint-repository.js';

export function createSqliteTx(db: Database.Database): StoreTx {
  return {
    // The core's tables (src/core/ports.ts).
    tenants: createTenantRepository(db),
    credentials: createCredentialRepository(db),
    requests: createRequestRepository(db),
    sequences: createSequenceRepository(db),
    sessions: createSessionRepository(db),
    pendingCancellations: createPendingCancellationRepository(db),
    documents: createDocumentRepository(db),
    audit: createAuditRepository(db),
    outbox: createOutboxRepository(db),
    idempotency: createIdempotencyRepository(db),
    webhookEndpoints: createWebhookEndpointRepository(db),
    // Delivery's (src/delivery/ports.ts).
    outboxQueue: createOutboxQueueRepository(db),
    mails: createMailRepository(db),
    documentCopies: createDocumentCopyRepository(db),
    webhookAttempts: createWebhookAttemptRepository(db),
    // The providers' own (src/storage/provider-repositories.ts).
    taktikal: createTaktikalRepository(db),
    singpass: createSingpassRepository(db),
    kaizenRequestNumbers: createKaizenRequestNumberRepository(db),
  };
}
