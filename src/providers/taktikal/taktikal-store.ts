/**
 * What the Taktikal surface keeps beside the core: the fields a Taktikal client sent that the core
 * has no column for, echoed back in SigningProcess, activity logs and webhooks. Nothing here is
 * needed to find a process (the ProcessKey is a request alias, signee keys derive from signer ids),
 * so a process without a row still answers, with those fields absent.
 */
import type { SurfaceContext } from '../surface.js';
import { createTaktikalRepository } from '../../storage/sqlite/taktikal-repository.js';

export const DELIVERY_TYPES = ['None', 'Email', 'Sms'] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

export interface TaktikalSigneeDetails {
  readonly ssn: string | null;
  readonly phoneNumber: string | null;
  /** As the client sent it; the core signer has an email only when the delivery type is Email. */
  readonly email: string | null;
  readonly address: string | null;
  readonly postalCode: string | null;
  readonly city: string | null;
  readonly reason: string | null;
  readonly hidePersonalCode: boolean;
  readonly communicationDeliveryType: DeliveryType;
  readonly signatureType: string | null;
  readonly language: string | null;
  readonly customSmsText: string | null;
}

export interface TaktikalProcessDetails {
  readonly flowKey: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly requiresAuth: boolean;
  readonly signInOrder: boolean;
  readonly signatureLocation: string;
  readonly flattenDocument: boolean;
  readonly reminderRule: string | null;
  /** The owner's email (`user`), also the core request's owner. */
  readonly user: string | null;
  readonly activityDisplayName: string | null;
  /** By core signer id. */
  readonly signees: Readonly<Record<string, TaktikalSigneeDetails>>;
}

export interface TaktikalSequenceDetails {
  readonly user: string;
  readonly requiresAuth: boolean;
  readonly signInOrder: boolean;
}

/** Implemented per database (src/storage/sqlite/taktikal-repository.ts); synchronous, the caller owns the transaction. */
export interface TaktikalRepository {
  insertProcess(tenantId: string, requestId: string, processKey: string, details: TaktikalProcessDetails): void;
  processDetails(tenantId: string, requestIds: readonly string[]): Map<string, TaktikalProcessDetails>;
  insertSequence(tenantId: string, sequenceId: string, sequenceKey: string, details: TaktikalSequenceDetails): void;
  sequenceDetails(tenantId: string, sequenceId: string): TaktikalSequenceDetails | undefined;
}

export interface TaktikalStore {
  saveProcess(tenantId: string, requestId: string, processKey: string, details: TaktikalProcessDetails): Promise<void>;
  processDetails(tenantId: string, requestIds: readonly string[]): Promise<Map<string, TaktikalProcessDetails>>;
  saveSequence(
    tenantId: string,
    sequenceId: string,
    sequenceKey: string,
    details: TaktikalSequenceDetails,
  ): Promise<void>;
  sequenceDetails(tenantId: string, sequenceId: string): Promise<TaktikalSequenceDetails | undefined>;
}

/**
 * The repository runs on the store's own connection; every call goes through the store's
 * transaction (or read snapshot) so that it queues behind, and never slips into, a core
 * transaction that is awaiting something.
 */
export function createTaktikalStore(context: SurfaceContext): TaktikalStore {
  const repository = createTaktikalRepository(context.sqlite);
  const { store } = context.deps;
  const writing = <T>(fn: () => T): Promise<T> => store.transaction(async () => fn());
  const reading = <T>(fn: () => T): Promise<T> => store.read(async () => fn());
  return {
    saveProcess: (tenantId, requestId, processKey, details) =>
      writing(() => repository.insertProcess(tenantId, requestId, processKey, details)),
    processDetails: (tenantId, requestIds) => reading(() => repository.processDetails(tenantId, requestIds)),
    saveSequence: (tenantId, sequenceId, sequenceKey, details) =>
      writing(() => repository.insertSequence(tenantId, sequenceId, sequenceKey, details)),
    sequenceDetails: (tenantId, sequenceId) => reading(() => repository.sequenceDetails(tenantId, sequenceId)),
  };
}
