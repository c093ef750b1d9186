/**
 * What delivery needs from storage, apart from the core's ports: the outbox as a queue with
 * leases, the mail archive (mails kept when no SMTP server is configured), copies of documents
 * stored beside the original (the VOID copy) and the webhook attempt log. They are repositories
 * reached through a transaction of the store (`DeliveryTx`), like the core's; each database
 * implements them (src/storage/sqlite today). Delivery wraps them into services whose every call
 * is one transaction (outbox-queue.ts, mail-archive.ts, document-copies.ts).
 */
import type { OutboxMessage, Tx } from '../core/ports.js';
import type { OutboxRow } from './outbox-handler.js';
import type { WebhookDeliveryStore } from './webhook-delivery-store.js';

export type OutboxStatus = 'pending' | 'done' | 'dead';

/** A row handed to a worker under lease. */
export interface ClaimedRow extends OutboxRow {
  /** When the row was first attempted (this attempt, for a fresh row): retry windows count from here. */
  readonly firstAttemptAt: number;
}

/** A row as operators see it (dead letters, admin listing). */
export interface OutboxEntry {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly availableAt: number;
  readonly createdAt: number;
  readonly completedAt: number | null;
  readonly lastError: string | null;
}

export interface OutboxListQuery {
  readonly status: OutboxStatus;
  /** Only this tenant's rows; every tenant's when absent (operator CLI). */
  readonly tenantId?: string;
  readonly topic?: string;
  /** Newest first; rows with an id below this one. */
  readonly beforeId?: string;
  readonly limit: number;
}

/** The outbox as a leased queue, inside a transaction (`tx.outboxQueue`). */
export interface OutboxQueueRepository {
  /** Whether any row is due; a cheap read, so an idle worker takes no write lock. */
  hasDue(now: number): Promise<boolean>;
  /**
   * Leases up to `limit` due rows (pending, available, lease absent or expired) to `workerId`
   * until now + leaseMs; in a write transaction a row is held by one worker at a time.
   */
  claim(workerId: string, now: number, leaseMs: number, limit: number): Promise<ClaimedRow[]>;
  /**
   * The outcomes. Each applies only while `workerId` still holds the lease (false otherwise: the
   * lease expired and another worker took the row over; its outcome is the one that counts).
   */
  complete(id: string, workerId: string, now: number, followUps: readonly OutboxMessage[]): Promise<boolean>;
  retry(id: string, workerId: string, at: number, error: string): Promise<boolean>;
  deadLetter(id: string, workerId: string, now: number, error: string): Promise<boolean>;
  get(id: string): Promise<OutboxEntry | undefined>;
  list(query: OutboxListQuery): Promise<OutboxEntry[]>;
  /** Dead -> pending, attempts reset, available at `now`. False when the row is not dead. */
  replay(id: string, now: number): Promise<boolean>;
  /** Replays every dead row (of one tenant when given); returns how many. */
  replayAllDead(now: number, tenantId?: string): Promise<number>;
  /** Deletes up to `limit` delivered rows completed before `before`; returns how many. */
  pruneDone(before: number, limit: number): Promise<number>;
}

/** The same operations, each in a transaction of its own: what the worker and the operator tools use (outbox-queue.ts). */
export type OutboxQueue = OutboxQueueRepository;

/** A mail as kept in the archive (no attachment bytes: only name, type, size and hash). */
export interface ArchivedMail {
  readonly id: string;
  readonly tenantId: string;
  readonly idempotencyKey: string;
  readonly messageId: string;
  readonly outboxId: string;
  readonly template: string;
  readonly requestId: string | null;
  readonly to: { readonly name: string | null; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly attachments: readonly { filename: string; contentType: string; size: number; sha256: string }[];
  readonly createdAt: number;
}

/** The mail archive, inside a transaction (`tx.mails`). */
export interface MailRepository {
  /** Keeps the mail unless one with the same idempotency key is already kept (a redelivery). */
  keep(mail: ArchivedMail): Promise<void>;
  /** A tenant's mails, newest first. */
  list(
    tenantId: string,
    query: { readonly beforeId?: string; readonly requestId?: string; readonly limit: number },
  ): Promise<ArchivedMail[]>;
}

/** The mail archive, each call a transaction of its own (mail-archive.ts). */
export type MailArchive = MailRepository;

export type DocumentCopyKind = 'void';

/** Copies of documents, inside a transaction (`tx.documentCopies`). */
export interface DocumentCopyRepository {
  put(documentId: string, kind: DocumentCopyKind, bytes: Uint8Array, now: number): Promise<void>;
  get(documentId: string, kind: DocumentCopyKind): Promise<Uint8Array | undefined>;
  has(documentId: string, kind: DocumentCopyKind): Promise<boolean>;
  /** Deletes every copy of the document (secure_delete zeroes the pages); returns how many. */
  deleteAll(documentId: string): Promise<number>;
}

/** Copies of documents, each call a transaction of its own (document-copies.ts). */
export type DocumentCopies = DocumentCopyRepository;

/** What a transaction reaches of delivery's tables. */
export interface DeliveryRepositories {
  readonly outboxQueue: OutboxQueueRepository;
  readonly mails: MailRepository;
  readonly documentCopies: DocumentCopyRepository;
  readonly webhookAttempts: WebhookDeliveryStore;
}

/** A transaction as delivery sees it: the core's repositories and its own. */
export type DeliveryTx = Tx & DeliveryRepositories;

/**
 * Housekeeping of the database itself, outside any transaction (a checkpoint cannot run inside
 * one). Given by the opened store; a database without a write-ahead log of its own implements it
 * as a no-op.
 */
export interface StorageMaintenance {
  /**
   * Moves the write-ahead log into the database file and truncates it, so deleted bytes leave
   * the log too. Best effort: false when a reader or writer kept it from completing.
   */
  checkpointLog(): Promise<boolean>;
}
