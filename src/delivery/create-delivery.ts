/**
 * Delivery, assembled: the mail sink (SMTP or the archive), the document copies, the outbox queue,
 * the handlers of every topic and the worker that runs them, with the expiry sweep as one of its
 * periodic tasks. Built by the composition root for the server (src/main.ts) and for
 * `countersign worker`; both run the same worker on the same database.
 */
import { hostname } from 'node:os';
import type { Config } from '../config.js';
import type { CoreDeps } from '../core/ports.js';
import { expireDueRequests } from '../core/use-cases/expire-due-requests.js';
import { createDocumentCopies } from './document-copies.js';
import { createMailer } from './email/mailer.js';
import { createDocumentPurgeHandler } from './handlers/document-purge-handler.js';
import { createEmailHandler } from './handlers/email-handler.js';
import { createLogCheckpointer } from './handlers/log-checkpointer.js';
import { pruneDeliveredRowsTask } from './prune-outbox.js';
import { createOwnerCopyHandler } from './handlers/owner-copy-handler.js';
import { createPendingCancellationHandler } from './handlers/pending-cancellation-handler.js';
import { createVoidCopyHandler } from './handlers/void-copy-handler.js';
import { createMailArchive } from './mail-archive.js';
import { createMailSink } from './mail-sink.js';
import type { OutboxHandler } from './outbox-handler.js';
import { createOutboxWorker, type OutboxWorker, type WorkerLogger } from './outbox-worker.js';
import { createOutboxQueue } from './outbox-queue.js';
import type { DeliveryTx, DocumentCopies, MailArchive, OutboxQueue, StorageMaintenance } from './ports.js';
import { NATIVE_RETRY_POLICY } from './retry-schedules.js';

export interface DeliveryOptions {
  readonly config: Pick<
    Config,
    'smtpUrl' | 'mailFrom' | 'workerLeaseSeconds' | 'workerConcurrency' | 'outboxRetentionDays'
  >;
  /** The core's dependencies, with a store whose transactions reach delivery's tables too. */
  readonly deps: CoreDeps<DeliveryTx>;
  /** The opened store's housekeeping (the checkpoint after a purge). */
  readonly maintenance: StorageMaintenance;
  readonly publicUrl: string;
  readonly logger: WorkerLogger;
  /** Handlers of other topics (the webhooks' 'event' and 'webhook.delivery'). */
  readonly handlers?: readonly OutboxHandler[];
  readonly workerId?: string;
}

export interface Delivery {
  readonly worker: OutboxWorker;
  readonly queue: OutboxQueue;
  readonly mails: MailArchive;
  readonly copies: DocumentCopies;
  /** Whether mails go over SMTP (true) or into the archive. */
  readonly sendsMail: boolean;
  /** Stops the worker (waiting for rows in flight) and releases the SMTP transport. */
  close(): Promise<void>;
}

export const WORKER_POLL_MS = 500;
export const EXPIRY_SWEEP_MS = 30_000;

export function createDelivery(options: DeliveryOptions): Delivery {
  const { deps, logger } = options;
  const mailer = createMailer({
    from: options.config.mailFrom,
    ...(options.config.smtpUrl ? { smtpUrl: options.config.smtpUrl } : {}),
  });
  const mails = createMailArchive(deps.store);
  const copies = createDocumentCopies(deps.store);
  const queue = createOutboxQueue(deps.store);
  const mail = createMailSink({
    mailer,
    archive: mails,
    from: options.config.mailFrom,
    clock: deps.clock,
    ids: deps.ids,
  });
  const checkpointer = createLogCheckpointer(options.maintenance, () =>
    logger.warn(
      {},
      'the write-ahead log could not be checkpointed after a purge (a reader holds it); retrying from the worker loop',
    ),
  );
  const context = { deps, publicUrl: options.publicUrl, mail, copies, checkpointer, logger };
  const worker = createOutboxWorker({
    queue,
    handlers: [
      createEmailHandler(context),
      createDocumentPurgeHandler(context),
      createOwnerCopyHandler(context),
      createVoidCopyHandler(context),
      createPendingCancellationHandler(context),
      ...(options.handlers ?? []),
    ],
    clock: deps.clock,
    workerId: options.workerId ?? `${hostname()}:${process.pid}:${deps.ids.secret(4)}`,
    leaseMs: options.config.workerLeaseSeconds * 1000,
    batchSize: options.config.workerConcurrency,
    pollMs: WORKER_POLL_MS,
    maxAgeMs: NATIVE_RETRY_POLICY.maxAgeMs,
    logger,
    tasks: [
      { name: 'expire-due-requests', everyMs: EXPIRY_SWEEP_MS, run: () => expireDueRequests(deps) },
      checkpointer.task,
      pruneDeliveredRowsTask(queue, deps.clock, options.config.outboxRetentionDays),
    ],
  });
  return {
    worker,
    queue,
    mails,
    copies,
    sendsMail: mailer !== undefined,
    async close() {
      await worker.stop();
      mail.close();
    },
  };
}

/** A logger that drops everything, for when logging is off. */
export const silentLogger: WorkerLogger = { debug() {}, info() {}, warn() {}, error() {} };
