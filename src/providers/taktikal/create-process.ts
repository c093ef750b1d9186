/**
 * Creating signing processes: CreateSigningProcess -> a core signature request and the surface's
 * row beside it, written in one transaction. Every input check (schema, base64, PDF, the core's
 * rules) runs before anything is written, and a sequence (the sequence, each request, each row)
 * commits once or not at all: a sequence whose third document is refused creates nothing.
 */
import { CoreError, isCoreError } from '../../core/errors.js';
import type { CallContext } from '../../core/model.js';
import {
  createSignatureRequestInTransaction,
  prepareSignatureRequest,
  type PreparedSignatureRequest,
} from '../../core/use-cases/create-signature-request.js';
import { createSequenceOfRequestsInTransaction } from '../../core/use-cases/create-sequence-of-requests.js';
import { getSequence } from '../../core/use-cases/manage-sequences.js';
import { decodeBase64Document, InvalidDocumentError } from '../../documents/pdf.js';
import type { SurfaceContext } from '../surface.js';
import { validationError } from './errors.js';
import { newProcessKey, newSequenceKey, PROCESS_KEY_ALIAS } from './keys.js';
import type { ProcessReader, SequenceView, TaktikalProcess } from './processes.js';
import {
  deliveryTypeOf,
  type CreateSequentialSigningInput,
  type CreateSigneeInput,
  type CreateSigningProcessInput,
} from './schemas.js';
import type { TaktikalProcessDetails, TaktikalSigneeDetails, TaktikalStore } from './taktikal-store.js';

/** "each signing process needs to be signed within 30 days" (Taktikal webhooks doc). */
export const PROCESS_LIFETIME_MS = 30 * 86_400_000;

/** A process checked and prepared, with what its row will hold once the request exists. */
interface PreparedProcess {
  readonly prepared: PreparedSignatureRequest;
  readonly processKey: string;
  readonly details: (signerIds: readonly string[]) => TaktikalProcessDetails;
}

interface SequenceTarget {
  /** Null for a sequence created with this process (its id is drawn in the creating transaction). */
  readonly id: string | null;
  readonly signInOrder: boolean;
  readonly requiresAuth: boolean;
  readonly user: string;
}

export class ProcessCreator {
  constructor(
    private readonly context: SurfaceContext,
    private readonly store: TaktikalStore,
    private readonly reader: ProcessReader,
  ) {}

  async createOne(
    tenantId: string,
    input: CreateSigningProcessInput,
    callContext: CallContext,
  ): Promise<TaktikalProcess> {
    const bytes = await this.checkDocument(input, '');
    const sequence = input.sequenceKey ? await this.existingSequence(tenantId, input.sequenceKey) : undefined;
    const process = await this.prepare(tenantId, input, bytes, sequence, callContext);
    const { deps } = this.context;
    const { request, details } = await deps.store.transaction(async (tx) => {
      const created = await createSignatureRequestInTransaction(tx, deps, process.prepared);
      const details = process.details(created.signers.map((signer) => signer.id));
      await tx.taktikal.insertProcess(tenantId, created.id, process.processKey, details);
      return { request: created, details };
    });
    return {
      request,
      processKey: process.processKey,
      details,
      sequenceKey: sequence?.id ? (await getSequence(deps, tenantId, sequence.id)).alias : null,
    };
  }

  async createSequence(
    tenantId: string,
    input: CreateSequentialSigningInput,
    callContext: CallContext,
  ): Promise<SequenceView> {
    const { deps } = this.context;
    const documents: Uint8Array[] = [];
    for (const [index, process] of input.createSigningProcesses.entries()) {
      documents.push(await this.checkDocument(process, `CreateSigningProcesses[${index}].`));
    }
    const details = {
      user: input.user.toLowerCase(),
      requiresAuth: input.requiresAuth ?? false,
      signInOrder: input.signInOrder ?? false,
    };
    const processes: PreparedProcess[] = [];
    for (const [index, process] of input.createSigningProcesses.entries()) {
      processes.push(await this.prepare(tenantId, process, documents[index]!, { id: null, ...details }, callContext));
    }
    const sequenceKey = newSequenceKey(deps.ids);
    await deps.store.transaction(async (tx) => {
      const created = await createSequenceOfRequestsInTransaction(tx, deps, {
        tenantId,
        title: null,
        alias: sequenceKey,
        requests: processes.map((process) => process.prepared),
      });
      await tx.taktikal.insertSequence(tenantId, created.sequence.id, sequenceKey, details);
      for (const [index, request] of created.requests.entries()) {
        const process = processes[index]!;
        const signerIds = request.signers.map((signer) => signer.id);
        await tx.taktikal.insertProcess(tenantId, request.id, process.processKey, process.details(signerIds));
      }
    });
    return this.reader.sequence(tenantId, sequenceKey);
  }

  /** Decodes and inspects the PDF up front; errors name the field as the client sent it. */
  private async checkDocument(input: CreateSigningProcessInput, fieldPrefix: string): Promise<Uint8Array> {
    const field = `${fieldPrefix}PdfDocument`;
    try {
      const bytes = decodeBase64Document(input.pdfDocument);
      await this.context.deps.documents.inspect(bytes);
      return bytes;
    } catch (error) {
      if (error instanceof InvalidDocumentError) {
        throw validationError([
          {
            errorCode: error.reason === 'bad_base64' ? 'InvalidBase64' : 'InvalidDocument',
            fieldName: field,
            message: error.message,
          },
        ]);
      }
      if (isCoreError(error) && error.code === 'invalid_document') {
        throw validationError([{ errorCode: 'InvalidDocument', fieldName: field, message: error.message }]);
      }
      throw error;
    }
  }

  /** The core request (checked against the core's rules, nothing written) and the row to keep beside it. */
  private async prepare(
    tenantId: string,
    input: CreateSigningProcessInput,
    bytes: Uint8Array,
    sequence: SequenceTarget | undefined,
    callContext: CallContext,
  ): Promise<PreparedProcess> {
    const deps = this.context.deps;
    const processKey = newProcessKey(deps.ids);
    const signInOrder = (input.signInOrder ?? false) || (sequence?.signInOrder ?? false);
    const owner = (input.user || sequence?.user || null)?.toLowerCase() ?? null;
    // Signers come back ordered by (order, position): with either ordering below that is input order.
    const prepared = await prepareSignatureRequest(deps, {
      tenantId,
      title: input.activityDisplayName || input.pdfFileName,
      ownerEmail: owner,
      expiresAt: deps.clock.now() + PROCESS_LIFETIME_MS,
      document: { filename: input.pdfFileName, bytes },
      // Only email delivery gives the core an email: signees reached by SMS or by the client itself
      // (delivery "none", e.g. an iframe) are never emailed, not even about a cancellation.
      signers: input.createSignees.map((signee, index) => ({
        name: signee.name,
        email: deliveryTypeOf(signee) === 'Email' ? signee.email! : null,
        order: signInOrder ? index + 1 : 1,
      })),
      sequenceId: sequence?.id ?? null,
      aliases: { [PROCESS_KEY_ALIAS]: processKey },
      origin: 'taktikal',
      context: callContext,
    });
    const details = (signerIds: readonly string[]): TaktikalProcessDetails => ({
      flowKey: input.flowKey,
      meta: input.meta ?? {},
      requiresAuth: (input.requiresAuth ?? false) || (sequence?.requiresAuth ?? false),
      signInOrder,
      signatureLocation: input.signatureLocation ?? 'TopFirstPage',
      flattenDocument: input.flattenDocument ?? false,
      reminderRule: input.reminderRule || null,
      user: owner,
      activityDisplayName: input.activityDisplayName ?? null,
      signees: Object.fromEntries(signerIds.map((id, index) => [id, signeeDetails(input.createSignees[index]!)])),
    });
    return { prepared, processKey, details };
  }

  private async existingSequence(tenantId: string, sequenceKey: string): Promise<SequenceTarget> {
    try {
      const sequence = await getSequence(this.context.deps, tenantId, sequenceKey);
      const details = await this.store.sequenceDetails(tenantId, sequence.id);
      if (!details || sequence.alias !== sequenceKey) throw new CoreError('not_found');
      return { id: sequence.id, ...details };
    } catch (error) {
      if (isCoreError(error) && error.code === 'not_found') {
        throw validationError([
          { errorCode: 'NotFound', fieldName: 'SequenceKey', message: 'No sequence has this SequenceKey.' },
        ]);
      }
      throw error;
    }
  }
}

function signeeDetails(signee: CreateSigneeInput): TaktikalSigneeDetails {
  return {
    ssn: signee.ssn ?? null,
    phoneNumber: signee.phoneNumber ?? null,
    email: signee.email ? signee.email.toLowerCase() : null,
    address: signee.address ?? null,
    postalCode: signee.postalCode ?? null,
    city: signee.city ?? null,
    reason: signee.reason ?? null,
    hidePersonalCode: signee.hidePersonalCode ?? false,
    communicationDeliveryType: deliveryTypeOf(signee),
    signatureType: signee.signatureType ?? null,
    language: signee.language ?? null,
    customSmsText: signee.customSmsText ?? null,
  };
}
