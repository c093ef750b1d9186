/** What the delivery handlers share; built once by src/delivery/create-delivery.ts. */
import type { CoreDeps } from '../../core/ports.js';
import type { MailSink } from '../mail-sink.js';
import type { WorkerLogger } from '../outbox-worker.js';
import type { DocumentCopies } from '../ports.js';
import type { LogCheckpointer } from './log-checkpointer.js';

export interface DeliveryHandlerContext {
  readonly deps: CoreDeps;
  /** Base URL of the server, for signing links in mails. */
  readonly publicUrl: string;
  readonly mail: MailSink;
  readonly copies: DocumentCopies;
  readonly checkpointer: LogCheckpointer;
  readonly logger: WorkerLogger;
}
