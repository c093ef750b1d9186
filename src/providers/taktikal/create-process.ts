/**
 * Creating signing processes: CreateSigningProcess -> createSignatureRequest, then the surface's
 * row. Every input check (schema, base64, PDF) runs before anything is written, so a sequence
 * whose third document is broken creates nothing at all.
 */
import { CoreError, isCoreError } from '../../core/errors.js';
import type { CallContext } from '../../core/model.js';
import { createSignatureRequest } from '../../core/use-cases/create-signature-request.js';
import { createSequence, getSequence } from '../../core/use-cases/manage-sequences.js';
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

interface CheckedProcess {
  readonly input: CreateSigningProcessInput;
  readonly bytes: Uint8Array;
}

interface SequenceTarget {
  readonly id: string;
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
    const checked = await this.check(input, '');
    let sequence: SequenceTarget | undefined;
    if (input.sequenceKey) sequence = await this.existingSequence(tenantId, input.sequenceKey);
    return this.create(tenantId, checked, sequence, callContext);
  }

  async createSequence(
    tenantId: string,
    input: CreateSequentialSigningInput,
    callContext: CallContext,
  ): Promise<SequenceView> {
    const checked: CheckedProcess[] = [];
    for (const [index, process] of input.createSigningProcesses.entries()) {
      checked.push(await this.check(process, `CreateSigningProcesses[${index}].`));
    }
    const sequenceKey = newSequenceKey(this.context.deps.ids);
    const sequence = await createSequence(this.context.deps, tenantId, null, sequenceKey);
    const details = {
      user: input.user.toLowerCase(),
      requiresAuth: input.requiresAuth ?? false,
      signInOrder: input.signInOrder ?? false,
    };
    await this.store.saveSequence(tenantId, sequence.id, sequenceKey, details);
    for (const process of checked) await this.create(tenantId, process, { id: sequence.id, ...details }, callContext);
    return this.reader.sequence(tenantId, sequenceKey);
  }

  /** Decodes and inspects the PDF up front; errors name the field as the client sent it. */
  private async check(input: CreateSigningProcessInput, fieldPrefix: string): Promise<CheckedProcess> {
    const field = `${fieldPrefix}PdfDocument`;
    try {
      const bytes = decodeBase64Document(input.pdfDocument);
      await this.context.deps.documents.inspect(bytes);
      return { input, bytes };
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

  private async create(
    tenantId: string,
    { input, bytes }: CheckedProcess,
    sequence: SequenceTarget | undefined,
    callContext: CallContext,
  ): Promise<TaktikalProcess> {
    const deps = this.context.deps;
    const processKey = newProcessKey(deps.ids);
    const signInOrder = (input.signInOrder ?? false) || (sequence?.signInOrder ?? false);
    const owner = (input.user || sequence?.user || null)?.toLowerCase() ?? null;
    // Signers come back ordered by (order, position): with either ordering below that is input order.
    const request = await createSignatureRequest(deps, {
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
    const details: TaktikalProcessDetails = {
      flowKey: input.flowKey,
      meta: input.meta ?? {},
      requiresAuth: (input.requiresAuth ?? false) || (sequence?.requiresAuth ?? false),
      signInOrder,
      signatureLocation: input.signatureLocation ?? 'TopFirstPage',
      flattenDocument: input.flattenDocument ?? false,
      reminderRule: input.reminderRule || null,
      user: owner,
      activityDisplayName: input.activityDisplayName ?? null,
      signees: Object.fromEntries(
        request.signers.map((signer, index) => [signer.id, signeeDetails(input.createSignees[index]!)]),
      ),
    };
    await this.store.saveProcess(tenantId, request.id, processKey, details);
    return {
      request,
      processKey,
      details,
      sequenceKey: sequence ? (await getSequence(deps, tenantId, sequence.id)).alias : null,
    };
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
