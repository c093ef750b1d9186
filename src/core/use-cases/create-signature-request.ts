/**
 * Creates a signature request and sends it: the first order group of signers is notified at once
 * (an email each, through the outbox, in the same transaction). In two steps, so that a caller
 * with rows of its own can write them in the same transaction: `prepareSignatureRequest` (checks
 * and the PDF, no database), then `createSignatureRequestInTransaction` inside the caller's.
 */
import { AuditWriter } from '../audit.js';
import { CoreError } from '../errors.js';
import type { CallContext, CallSurface, SignatureRequest } from '../model.js';
import type { CoreDeps, NewSignerRecord, Tx } from '../ports.js';
import { enqueue, enqueueEvent } from './outbox-messages.js';
import { runIdempotent, unwrapOutcome } from './idempotency.js';

export interface CreateSignatureRequestInput {
  readonly tenantId: string;
  readonly title: string;
  readonly message?: string | null;
  readonly ownerEmail?: string | null;
  readonly expiresAt: number;
  readonly document: { readonly filename: string; readonly bytes: Uint8Array };
  /** `email: null` for a signer reached another way (a Singpass signing URL): never emailed. */
  readonly signers: readonly { readonly name: string; readonly email: string | null; readonly order?: number }[];
  readonly sequenceId?: string | null;
  /** Ids to show on provider surfaces, by kind (e.g. { singpass_request_id: 'signv3-…' }). */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly origin?: CallSurface;
  readonly context: CallContext;
  readonly idempotencyKey?: string;
}

export const MAX_SIGNERS = 100;

/** A request checked and read (ids drawn, PDF inspected) but not written: nothing failed that needs a transaction. */
export interface PreparedSignatureRequest {
  readonly input: CreateSignatureRequestInput;
  readonly id: string;
  readonly now: number;
  readonly inspected: { readonly pageCount: number; readonly sha256: string; readonly size: number };
  readonly signers: readonly NewSignerRecord[];
}

/** What only the caller's transaction knows: the sequence it just created, an alias it just drew. */
export interface InTransactionExtras {
  readonly sequenceId?: string;
  readonly aliases?: Readonly<Record<string, string>>;
}

/**
 * Every check that needs no database, and the PDF's inspection: done before any transaction, so
 * that a refusal writes nothing and no write lock waits for a slow document.
 */
export async function prepareSignatureRequest(
  deps: CoreDeps,
  input: CreateSignatureRequestInput,
): Promise<PreparedSignatureRequest> {
  const now = deps.clock.now();
  validate(input, now);
  const inspected = await deps.documents.inspect(input.document.bytes);
  const lowestOrder = Math.min(...input.signers.map((signer) => signer.order ?? 1));
  const signers: NewSignerRecord[] = input.signers.map((signer) => ({
    id: deps.ids.next('sgr'),
    name: signer.name,
    email: signer.email?.toLowerCase() ?? null,
    order: signer.order ?? 1,
    status: (signer.order ?? 1) === lowestOrder ? 'notified' : 'waiting',
  }));
  return { input, id: deps.ids.next('sr'), now, inspected, signers };
}

export async function createSignatureRequest(
  deps: CoreDeps,
  input: CreateSignatureRequestInput,
): Promise<SignatureRequest & { replayed?: boolean }> {
  const prepared = await prepareSignatureRequest(deps, input);
  const { outcome, replayed } = await deps.store.transaction(async (tx) => {
    const idempotency = input.idempotencyKey
      ? {
          key: input.idempotencyKey,
          fingerprint: { ...input, document: prepared.inspected.sha256, context: undefined, idempotencyKey: undefined },
        }
      : undefined;
    return runIdempotent(tx, input.tenantId, 'create', idempotency, prepared.now, () =>
      createSignatureRequestInTransaction(tx, deps, prepared),
    );
  });
  return { ...unwrapOutcome(outcome), ...(replayed ? { replayed } : {}) };
}

/**
 * Writes a prepared request inside the caller's transaction: the request, its `request.created`
 * audit event, the webhook event and the first signers' invitations. A provider that keeps rows
 * of its own opens one transaction, calls this and writes them beside it: all commit or none.
 * A refusal (the sequence is not the tenant's) throws and rolls the caller's transaction back.
 */
export async function createSignatureRequestInTransaction(
  tx: Tx,
  deps: Pick<CoreDeps, 'ids'>,
  prepared: PreparedSignatureRequest,
  extras: InTransactionExtras = {},
): Promise<SignatureRequest> {
  const { input, id, now, inspected, signers } = prepared;
  const sequenceId = extras.sequenceId ?? input.sequenceId ?? null;
  const sequence = sequenceId ? await tx.sequences.get(input.tenantId, sequenceId) : undefined;
  if (sequenceId && !sequence) throw new CoreError('not_found', 'Sequence not found.');
  await tx.requests.insert({
    id,
    tenantId: input.tenantId,
    title: input.title,
    message: input.message ?? null,
    ownerEmail: input.ownerEmail ?? null,
    sequenceId: sequence?.id ?? null,
    createdAt: now,
    expiresAt: input.expiresAt,
    origin: input.origin ?? input.context.surface,
    document: { id: deps.ids.next('doc'), filename: input.document.filename, ...inspected },
    documentBytes: input.document.bytes,
    signers,
    aliases: { ...input.aliases, ...extras.aliases },
  });
  const audit = new AuditWriter(tx, deps.ids, input.context, now);
  const created = await audit.append({
    tenantId: input.tenantId,
    requestId: id,
    type: 'request.created',
    data: {
      title: input.title,
      signers: signers.length,
      document_sha256: inspected.sha256,
      expires_at: input.expiresAt,
    },
  });
  await enqueueEvent(tx, deps, input.tenantId, now, {
    event_id: created.id,
    type: 'signature_request.created',
    request_id: id,
  });
  const tenant = await tx.tenants.get(input.tenantId);
  for (const signer of signers.filter((candidate) => candidate.status === 'notified')) {
    if (signer.email === null) continue;
    await audit.append({
      tenantId: input.tenantId,
      requestId: id,
      type: 'signer.notified',
      data: { signer_id: signer.id, email: signer.email },
    });
    await enqueue(tx, deps, input.tenantId, now, 'email', {
      template: 'signature_requested',
      request_id: id,
      signer_id: signer.id,
      to: { name: signer.name, address: signer.email },
      title: input.title,
      sender: tenant?.name ?? null,
      owner_email: input.ownerEmail ?? null,
      message: input.message ?? null,
      expires_at: input.expiresAt,
    });
  }
  const request = await tx.requests.get(input.tenantId, id);
  if (!request) throw new Error('request vanished inside its own transaction');
  return request;
}

function validate(input: CreateSignatureRequestInput, now: number): void {
  const problems: { path: string; message: string }[] = [];
  if (input.signers.length === 0) problems.push({ path: 'signers', message: 'At least one signer is required.' });
  if (input.signers.length > MAX_SIGNERS)
    problems.push({ path: 'signers', message: `At most ${MAX_SIGNERS} signers.` });
  const emails = input.signers.flatMap((signer) => (signer.email === null ? [] : [signer.email.toLowerCase()]));
  if (new Set(emails).size !== emails.length)
    problems.push({ path: 'signers', message: 'Each signer needs a distinct email.' });
  if (!(input.expiresAt > now)) problems.push({ path: 'expires_at', message: 'Must be in the future.' });
  if (input.title.trim().length === 0) problems.push({ path: 'title', message: 'Must not be blank.' });
  if (problems.length > 0)
    throw new CoreError('validation_failed', 'The signature request is not valid.', { issues: problems });
}
