/**
 * The core audit trail as Taktikal activity-log entries. One audit event can show as several
 * entries: request.created becomes Created, one SigneeAdded per signee and Started, as in the
 * docs' example. Status names the docs never show (viewed, session started, declined, cancelled,
 * refused) are ours and listed in docs/compat/taktikal.md.
 */
import { readAuditEvent } from '../../core/events/audit-events.js';
import type { Actor, AuditEvent } from '../../core/model.js';
import type { SurfaceContext } from '../surface.js';
import { signeeKeyOf } from './keys.js';
import { dotNetIso, presentSequenceSignees, withoutNulls } from './present.js';
import type { SequenceView, TaktikalProcess } from './processes.js';

export interface ActivityEntry {
  readonly flowKey?: string;
  readonly processKey: string;
  readonly signeeKey?: string;
  readonly status: string;
  readonly description: string;
  readonly userAgent?: string;
  readonly fileName?: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly requiresAuth?: boolean;
  readonly signInOrder?: boolean;
  readonly signatureLocation?: string;
  readonly sequenceKey?: string;
}

/** Who shows as `createdBy`: the named person or credential; signers' and the system's steps are ours. */
function createdByOf(actor: Actor): string {
  switch (actor.type) {
    case 'user':
    case 'api_key':
    case 'integration':
      return actor.display ?? actor.id;
    case 'signer':
    case 'system':
      return 'Countersign.Core';
  }
}

export function entriesFor(event: AuditEvent, process: TaktikalProcess): ActivityEntry[] {
  const processKey = process.processKey;
  // An event that does not read as its type (none should) shows as its bare type, like an unknown one.
  const read = readAuditEvent(event);
  const known = 'value' in read ? read.value : undefined;
  const signerId = known && 'signer_id' in known.data ? known.data.signer_id : undefined;
  const signeeKey = signerId ? signeeKeyOf(signerId) : undefined;
  const base = withoutNulls({
    flowKey: process.details?.flowKey,
    processKey,
    userAgent: event.userAgent,
    createdAt: dotNetIso(event.createdAt),
    createdBy: createdByOf(event.actor),
    sequenceKey: process.sequenceKey,
  }) as Omit<ActivityEntry, 'status' | 'description'>;
  const entry = (status: string, description: string, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
    ...base,
    ...(signeeKey ? { signeeKey } : {}),
    status,
    description,
    ...extra,
  });
  const fileName = process.request.document.filename;
  switch (known?.type) {
    case 'request.created':
      return [
        entry('Created', `Signing process created. ProcessKey: ${processKey}.`, {
          fileName,
          requiresAuth: process.details?.requiresAuth ?? false,
          signInOrder: process.details?.signInOrder ?? false,
          ...(process.details ? { signatureLocation: process.details.signatureLocation } : {}),
        }),
        ...process.request.signers.map((signer) => ({
          ...base,
          signeeKey: signeeKeyOf(signer.id),
          status: 'SigneeAdded',
          createdBy: 'Countersign.Core',
          description: `Signee added. Processkey: ${processKey}. Signee key: ${signeeKeyOf(signer.id)}.`,
        })),
        entry('Started', `Signing process started. ProcessKey: ${processKey}.`, { fileName }),
      ];
    case 'signer.notified': {
      const delivery = signerId ? (process.details?.signees[signerId]?.communicationDeliveryType ?? 'Email') : 'Email';
      return [
        entry(
          'SignupSent',
          `Signup sent. Processkey: ${processKey}. Signee: ${signeeKey}. Delivery method : ${delivery}`,
          { createdBy: 'Countersign.Core' },
        ),
      ];
    }
    case 'signer.viewed':
      return [entry('Opened', `Signee opened the document. ProcessKey: ${processKey}. Signee key: ${signeeKey}`)];
    case 'signer.session_started':
      return [entry('SigningStarted', `Signee started signing. ProcessKey: ${processKey}. Signee key: ${signeeKey}`)];
    case 'signer.signed':
      return [entry('SigneeSigned', `Signee signed. ProcessKey: ${processKey}. Signee key: ${signeeKey}`)];
    case 'signer.declined':
      return [
        entry(
          'SigneeRejected',
          `Signee rejected the document. ProcessKey: ${processKey}. Signee key: ${signeeKey}.${event.reason ? ` Reason: ${event.reason}` : ''}`,
        ),
      ];
    case 'request.completed':
      return [entry('Completed', `Signing completed. ProcessKey: ${processKey}.`)];
    case 'request.expired':
      return [entry('Expired', `Signing process expired. ProcessKey: ${processKey}.`)];
    case 'request.expiry_updated':
      return [entry('ExpiryUpdated', `Expiry changed. ProcessKey: ${processKey}.`)];
    case 'request.cancelled': {
      const viaSequence = known.data.via_sequence_of !== undefined;
      return [
        entry(
          'Canceled',
          `Signing process canceled. ProcessKey: ${processKey}.${viaSequence && process.sequenceKey ? ` Canceled with its sequence ${process.sequenceKey}.` : ''}`,
        ),
      ];
    }
    case 'request.cancel_refused':
      return [entry('CancelRefused', `Cancellation refused (${known.data.code}). ProcessKey: ${processKey}.`)];
    default:
      return [entry(event.type, `${event.type}. ProcessKey: ${processKey}.`)];
  }
}

export function signeesOf(process: TaktikalProcess) {
  return process.request.signers.map((signer) => {
    const details = process.details?.signees[signer.id];
    return withoutNulls({
      processKey: process.processKey,
      signeeKey: signeeKeyOf(signer.id),
      ssn: details?.ssn,
      name: signer.name,
      address: details?.address,
      postalCode: details?.postalCode,
      city: details?.city,
      phone: details?.phoneNumber,
      email: details?.email ?? signer.email,
      createdAt: dotNetIso(process.request.createdAt),
      createdBy: 'Countersign.Core',
      updatedAt: dotNetIso(process.request.updatedAt),
      signatureType: details?.signatureType,
    });
  });
}

/** SigningProcessActivityLogWrapper. */
export function wrapperFor(
  context: SurfaceContext,
  process: TaktikalProcess,
  activityLog: readonly ActivityEntry[],
  sequence: SequenceView | undefined,
) {
  return withoutNulls({
    processKey: process.processKey,
    activityLog,
    signees: signeesOf(process),
    sequenceSignees: sequence
      ? presentSequenceSignees(context, sequence).map((group) => ({
          sequenceKey: sequence.key,
          signeeKey: group.key,
          url: group.url,
          signingKeys: group.signingKeys,
        }))
      : [],
    attachmentReferences: [],
    activityDisplayName: process.details?.activityDisplayName,
  });
}
