/**
 * What the Taktikal surface keeps beside the core: the fields a Taktikal client sent that the core
 * has no column for, echoed back in SigningProcess, activity logs and webhooks. Nothing here is
 * needed to find a process (the ProcessKey is a request alias, signee keys derive from signer ids),
 * so a process without a row still answers, with those fields absent.
 */
import type {
  TaktikalDeliveryType,
  TaktikalProcessDetails,
  TaktikalSequenceDetails,
} from '../../storage/provider-repositories.js';
import type { SurfaceContext } from '../surface.js';

export type {
  TaktikalProcessDetails,
  TaktikalSequenceDetails,
  TaktikalSigneeDetails,
} from '../../storage/provider-repositories.js';

export const DELIVERY_TYPES = ['None', 'Email', 'Sms'] as const satisfies readonly TaktikalDeliveryType[];
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

/** The surface's reads (each one read of the store); its rows are written by ProcessCreator, in the transaction of their request. */
export interface TaktikalStore {
  processDetails(tenantId: string, requestIds: readonly string[]): Promise<Map<string, TaktikalProcessDetails>>;
  sequenceDetails(tenantId: string, sequenceId: string): Promise<TaktikalSequenceDetails | undefined>;
}

export function createTaktikalStore(context: SurfaceContext): TaktikalStore {
  const { store } = context.deps;
  return {
    processDetails: (tenantId, requestIds) => store.read((tx) => tx.taktikal.processDetails(tenantId, requestIds)),
    sequenceDetails: (tenantId, sequenceId) => store.read((tx) => tx.taktikal.sequenceDetails(tenantId, sequenceId)),
  };
}
