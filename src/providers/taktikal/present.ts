/**
 * Core records -> Taktikal wire shapes (SigningProcess, Signee, SequentialSigning). Like
 * ServiceStack, absent values are left out rather than sent as null. Times are ISO 8601 with
 * seven fractional digits, as .NET writes them.
 */
import type { RequestStatus } from '../../core/state-machine.js';
import { SIGNABLE } from '../../core/state-machine.js';
import type { Signer } from '../../core/model.js';
import { signingUrl } from '../../core/signing-links.js';
import type { SurfaceContext } from '../surface.js';
import { signeeGroupKeyOf, signeeKeyOf } from './keys.js';
import type { SequenceView, TaktikalProcess } from './processes.js';
import type { TaktikalSigneeDetails } from './taktikal-store.js';

export function dotNetIso(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}

export function withoutNulls<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined),
  ) as Partial<T>;
}

/** Taktikal documents only "Created"; the other names are ours, chosen to match its activity statuses. */
export function processStatusOf(status: RequestStatus): string {
  switch (status) {
    case 'pending':
      return 'Created';
    case 'partially_signed':
      return 'PartiallySigned';
    case 'completed':
      return 'Completed';
    case 'declined':
      return 'Rejected';
    case 'expired':
      return 'Expired';
    case 'cancelled':
      return 'Canceled';
  }
}

export function signingUrlOf(context: SurfaceContext, signerId: string): string {
  return signingUrl(context.publicUrl, context.deps.settings.linkKey, signerId);
}

export function signeeDetailsOf(process: TaktikalProcess, signer: Signer): TaktikalSigneeDetails | undefined {
  return process.details?.signees[signer.id];
}

export function presentSignee(context: SurfaceContext, process: TaktikalProcess, signer: Signer) {
  const details = signeeDetailsOf(process, signer);
  return withoutNulls({
    name: signer.name,
    ssn: details?.ssn,
    phoneNumber: details?.phoneNumber,
    email: details?.email ?? signer.email,
    address: details?.address,
    postalCode: details?.postalCode,
    city: details?.city,
    key: signeeKeyOf(signer.id),
    signed: signer.status === 'signed',
    signedAt: signer.signedAt === null ? null : dotNetIso(signer.signedAt),
    processKey: process.processKey,
    reason: details?.reason,
    hidePersonalCode: details?.hidePersonalCode ?? false,
    communicationDeliveryType: details?.communicationDeliveryType ?? (signer.email ? 'Email' : 'None'),
    url: signingUrlOf(context, signer.id),
    signatureType: details?.signatureType,
    language: details?.language,
    customSmsText: details?.customSmsText,
  });
}

export function presentProcess(context: SurfaceContext, process: TaktikalProcess) {
  const { request, details } = process;
  return withoutNulls({
    key: process.processKey,
    signees: request.signers.map((signer) => presentSignee(context, process, signer)),
    flowKey: details?.flowKey,
    status: processStatusOf(request.status),
    meta: details?.meta ?? {},
    pdfFileName: request.document.filename,
    attachments: [],
    attachmentReferences: [],
    requiresAuth: details?.requiresAuth ?? false,
    user: details?.user ?? request.ownerEmail,
    signInOrder: details?.signInOrder ?? false,
    signatureLocation: details?.signatureLocation,
    sequenceKey: process.sequenceKey,
    flattenDocument: details?.flattenDocument ?? false,
  });
}

/** A person across the sequence's processes: same ssn, else the same email, else the same name. */
function identityOf(process: TaktikalProcess, signer: Signer): string {
  const details = signeeDetailsOf(process, signer);
  if (details?.ssn) return `ssn:${details.ssn}`;
  const email = details?.email ?? signer.email;
  return email ? `email:${email.toLowerCase()}` : `name:${signer.name.toLowerCase()}`;
}

/**
 * Taktikal gives each person one link to every document of a sequence; Countersign has no combined
 * page, so a group's url is the person's signing link for the first document they sign.
 */
export function presentSequenceSignees(context: SurfaceContext, sequence: SequenceView) {
  const groups = new Map<
    string,
    { key: string; url: string; signingKeys: { signeeKey: string; processKey: string }[] }
  >();
  for (const process of sequence.processes) {
    for (const signer of process.request.signers) {
      const identity = identityOf(process, signer);
      let group = groups.get(identity);
      if (!group) {
        group = {
          key: signeeGroupKeyOf(sequence.id, identity),
          url: signingUrlOf(context, signer.id),
          signingKeys: [],
        };
        groups.set(identity, group);
      }
      group.signingKeys.push({ signeeKey: signeeKeyOf(signer.id), processKey: process.processKey });
    }
  }
  return [...groups.values()];
}

/** The least advanced state of its processes, so a sequence is "Completed" only when every document is. */
export function sequenceStatusOf(sequence: SequenceView): string {
  const statuses = sequence.processes.map((process) => process.request.status);
  if (statuses.length === 0) return 'Created';
  if (statuses.some((status) => SIGNABLE.includes(status)))
    return statuses.every((status) => status === 'pending') ? 'Created' : 'PartiallySigned';
  for (const status of ['cancelled', 'declined', 'expired'] as const)
    if (statuses.includes(status)) return processStatusOf(status);
  return 'Completed';
}

export function presentSequence(context: SurfaceContext, sequence: SequenceView) {
  return {
    key: sequence.key,
    status: sequenceStatusOf(sequence),
    requiresAuth: sequence.details.requiresAuth,
    user: sequence.details.user,
    signInOrder: sequence.details.signInOrder,
    signees: presentSequenceSignees(context, sequence),
    signingProcesses: sequence.processes.map((process) => presentProcess(context, process)),
  };
}
