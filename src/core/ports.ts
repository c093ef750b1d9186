/**
 * What the core needs from the outside world. Storage implements these per database
 * (src/storage/sqlite today, PostgreSQL later) and both must pass test/storage contract tests.
 * All methods are async so that a networked database fits the same contract.
 */
import type {
  Actor,
  AuditEvent,
  Cancellation,
  DocumentMeta,
  PendingCancellation,
  Scope,
  SignatureRequest,
  SignSession,
  Tenant,
  WebhookEndpointFormat,
} from './model.js';
import type { OutboxBody } from './events/outbox-topics.js';
import type { RequestStatus, SignerStatus } from './state-machine.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface IdGenerator {
  /** A new sortable id with a type prefix, e.g. `sr_01J…`. */
  next(prefix: string): string;
  /** `bytes` random bytes as base64url, for secrets. */
  secret(bytes: number): string;
}

export interface CredentialRecord {
  readonly id: string;
  readonly tenantId: string;
  /** native_api_key, lumin_api_key, lumin_token, taktikal, kaizen_app_token, auco_private, auco_public, … */
  readonly kind: string;
  /** The non-secret part the caller presents, used to find the record (unique per kind). */
  readonly lookup: string;
  /** sha256 of the secret part, hex. Never the secret itself. */
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly label: string | null;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  /** Secret material that must be usable later (e.g. a webhook signing key), encrypted by the caller. */
  readonly sealedSecret: string | null;
}

export interface NewSignerRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly order: number;
  readonly status: SignerStatus;
}

export interface NewRequestRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly title: string;
  readonly message: string | null;
  readonly ownerEmail: string | null;
  readonly sequenceId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly origin: string;
  readonly document: Omit<DocumentMeta, 'purgedAt'>;
  readonly documentBytes: Uint8Array;
  readonly signers: readonly NewSignerRecord[];
  readonly aliases: Readonly<Record<string, string>>;
}

export interface RequestFilter {
  readonly statuses?: readonly RequestStatus[];
  readonly createdFrom?: number;
  readonly createdTo?: number;
  readonly signerEmail?: string;
  readonly sequenceId?: string;
}

export interface RequestStatusChange {
  readonly requestId: string;
  readonly from: readonly RequestStatus[];
  readonly to: RequestStatus;
  readonly now: number;
  /** When set, the change happens only if no sign session of the request is active at `now`. */
  readonly requireNoActiveSession?: boolean;
  readonly completedAt?: number;
  readonly cancellation?: Cancellation;
}

export interface SignerStatusChange {
  readonly signerId: string;
  readonly from: readonly SignerStatus[];
  readonly to: SignerStatus;
  readonly now: number;
  readonly declineReason?: string;
  /** What the signer signed with (typed text or a drawn image), stored with the signer. */
  readonly signature?: Readonly<Record<string, unknown>>;
}

export interface NewAuditEvent extends Omit<AuditEvent, 'seq'> {}

export interface OutboxEnvelope {
  readonly id: string;
  readonly tenantId: string;
  readonly availableAt: number;
  readonly createdAt: number;
}

/** A row to queue: `topic` and `payload` are one member of the union in src/core/events/outbox-topics.ts. */
export type OutboxMessage = OutboxEnvelope & OutboxBody;

export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly outcome: unknown;
  readonly createdAt: number;
}

export interface TenantRepository {
  insert(tenant: Tenant): Promise<void>;
  get(id: string): Promise<Tenant | undefined>;
  /** Every tenant, oldest first (the operator's view; tenants are few). */
  list(): Promise<Tenant[]>;
}

/** Live: neither revoked nor expired at `now`. */
export type CredentialStatus = 'active' | 'expired' | 'revoked';

export interface CredentialPageQuery {
  readonly kinds: readonly string[];
  readonly status?: CredentialStatus;
  /** The moment `status` is judged at. */
  readonly now: number;
  /** Exclusive cursor: the id of the last credential of the previous page. */
  readonly afterId?: string;
  readonly limit: number;
}

export interface CredentialRepository {
  insert(credential: CredentialRecord): Promise<void>;
  findByLookup(kind: string, lookup: string): Promise<CredentialRecord | undefined>;
  listForTenant(tenantId: string, kind?: string): Promise<CredentialRecord[]>;
  /** One of the tenant's credentials by id (another tenant's id is not found). */
  get(tenantId: string, id: string): Promise<CredentialRecord | undefined>;
  /** The tenant's credentials of `kinds`, in id (creation) order. */
  page(tenantId: string, query: CredentialPageQuery): Promise<CredentialRecord[]>;
  /** Sets revoked_at unless already set; false when it was (or the id is not the tenant's). */
  revoke(tenantId: string, id: string, now: number): Promise<boolean>;
}

export interface SignatureRequestRepository {
  insert(record: NewRequestRecord): Promise<void>;
  get(tenantId: string, id: string): Promise<SignatureRequest | undefined>;
  /** The tenant's requests among `ids` (own ids only, no aliases), keyed by id; absent ids are left out. */
  getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, SignatureRequest>>;
  /** The request id for any id a surface showed (own id or an alias), within the tenant. */
  resolveId(tenantId: string, anyId: string): Promise<string | undefined>;
  addAlias(tenantId: string, requestId: string, kind: string, value: string): Promise<void>;
  list(
    tenantId: string,
    filter: RequestFilter,
    afterId: string | undefined,
    limit: number,
  ): Promise<SignatureRequest[]>;
  listIds(tenantId: string, filter: RequestFilter, limit: number): Promise<string[]>;
  idsInSequence(tenantId: string, sequenceId: string): Promise<string[]>;
  /** Which request a signer belongs to (signing links carry only the signer id). */
  findBySigner(signerId: string): Promise<{ tenantId: string; requestId: string } | undefined>;
  /**
   * Compare-and-set guard without a status change: true when the request is in one of `from`.
   * Bumps the version, so a concurrent writer of the same row waits or fails (PostgreSQL row lock).
   */
  touch(requestId: string, from: readonly RequestStatus[], now: number): Promise<boolean>;
  /** Compare-and-set: true when the row was in one of `from` (and the extra conditions held). */
  changeStatus(change: RequestStatusChange): Promise<boolean>;
  /** The same compare-and-set for many requests at once; returns the ids that moved. */
  changeStatusMany(
    change: Omit<RequestStatusChange, 'requestId'> & { readonly requestIds: readonly string[] },
  ): Promise<Set<string>>;
  changeSignerStatus(change: SignerStatusChange): Promise<boolean>;
  changeExpiry(requestId: string, from: readonly RequestStatus[], expiresAt: number, now: number): Promise<boolean>;
  /** Ids of signable requests whose deadline has passed. */
  dueForExpiry(now: number, limit: number): Promise<{ tenantId: string; id: string }[]>;
}

export interface SequenceRecord {
  readonly id: string;
  readonly title: string | null;
  readonly createdAt: number;
  /** The id a surface showed for the sequence (Taktikal SequenceKey), if any. */
  readonly alias: string | null;
}

export interface SequenceRepository {
  insert(sequence: {
    id: string;
    tenantId: string;
    title: string | null;
    createdAt: number;
    alias?: string | null;
  }): Promise<void>;
  /** By own id or alias, within the tenant. */
  get(tenantId: string, anyId: string): Promise<SequenceRecord | undefined>;
}

export interface WebhookEndpointRecord {
  readonly id: string;
  readonly tenantId: string;
  /** Which payload, signature and retry schedule: native (Standard Webhooks) or a provider's. */
  readonly format: WebhookEndpointFormat;
  readonly url: string;
  /** Native event types subscribed to, or ['*']. */
  readonly events: readonly string[];
  /** Sealed (see src/security/sealed-secrets.ts), bound to the endpoint id. */
  readonly sealedSecret: string | null;
  /** Sealed JSON {key, value}: Auco's static custom header. */
  readonly sealedHeader: string | null;
  readonly description: string | null;
  /** The id the provider surface uses for it (Auco webhook id "default", …). */
  readonly externalId: string | null;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export interface WebhookEndpointRepository {
  insert(endpoint: WebhookEndpointRecord): Promise<void>;
  get(tenantId: string, id: string): Promise<WebhookEndpointRecord | undefined>;
  listForTenant(tenantId: string, format?: WebhookEndpointRecord['format']): Promise<WebhookEndpointRecord[]>;
  /** Whether the tenant has any endpoint that is not disabled, of any format. */
  hasLive(tenantId: string): Promise<boolean>;
  /** Disables (never deletes: deliveries keep pointing at it). */
  disable(tenantId: string, id: string, now: number): Promise<boolean>;
}

export interface SessionRepository {
  open(session: SignSession): Promise<void>;
  active(requestId: string, now: number): Promise<SignSession[]>;
  activeForSigner(signerId: string, now: number): Promise<SignSession | undefined>;
  end(sessionId: string, now: number): Promise<void>;
  /** How many sessions the signer ever started, and the latest one (for the restart rules). */
  historyOfSigner(signerId: string): Promise<{ count: number; latest: SignSession | undefined }>;
}

export interface NewPendingCancellation extends PendingCancellation {
  readonly tenantId: string;
  /** The named request's sequence: the pending cancellation covers every member. */
  readonly sequenceId: string | null;
}

/**
 * Pending (deferred) cancellations. Requests load the one that affects them (their own or their
 * sequence's) as `pendingCancellation`, so reading one here is only needed by id.
 */
export interface PendingCancellationRepository {
  insert(pending: NewPendingCancellation): Promise<void>;
  /** Deletes it (carried out, refused, superseded or withdrawn); false when it was already gone. */
  delete(tenantId: string, id: string): Promise<boolean>;
}

export interface DocumentRepository {
  getBytes(documentId: string): Promise<Uint8Array | undefined>;
  /** Deletes the bytes (keeps metadata); true if there were bytes to delete. */
  purge(documentId: string, now: number): Promise<boolean>;
}

export interface AuditRepository {
  lastHash(tenantId: string): Promise<string | undefined>;
  /** The chain head recorded beside the events, so that deleting the newest rows is noticed too. */
  head(tenantId: string): Promise<{ seq: number; hash: string } | undefined>;
  /** Appends events already chained in this order (one tenant's or several); the heads follow the last of each. */
  insertMany(events: readonly NewAuditEvent[]): Promise<void>;
  listForRequest(tenantId: string, requestId: string): Promise<AuditEvent[]>;
  /** A tenant's events created in [from, to), oldest first, for activity logs. */
  listForTenant(
    tenantId: string,
    range: { from: number; to: number; skip: number; take: number },
  ): Promise<AuditEvent[]>;
  /** Events of a tenant in chain order, `afterSeq` exclusive, at most `limit`. */
  page(tenantId: string, afterSeq: number, limit: number): Promise<AuditEvent[]>;
}

export interface OutboxRepository {
  enqueue(message: OutboxMessage): Promise<void>;
  /** Every side effect of one or many transitions in one go (same rows as one enqueue each). */
  enqueueMany(messages: readonly OutboxMessage[]): Promise<void>;
}

export interface IdempotencyRepository {
  get(tenantId: string, scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  put(tenantId: string, scope: string, key: string, record: IdempotencyRecord): Promise<void>;
}

export interface Tx {
  readonly tenants: TenantRepository;
  readonly credentials: CredentialRepository;
  readonly requests: SignatureRequestRepository;
  readonly sequences: SequenceRepository;
  readonly sessions: SessionRepository;
  readonly pendingCancellations: PendingCancellationRepository;
  readonly documents: DocumentRepository;
  readonly audit: AuditRepository;
  readonly outbox: OutboxRepository;
  readonly idempotency: IdempotencyRepository;
  readonly webhookEndpoints: WebhookEndpointRepository;
}

/**
 * A store's unit of work. `T` is what a transaction reaches: the core's repositories (`Tx`) for
 * core use cases; the store the composition root opens (src/storage/open-store.ts) offers more
 * (delivery's and the providers' own tables) on the same transaction. Every repository is reached
 * through the `tx` given to `fn`, never outside it.
 */
export interface Store<T = Tx> {
  /**
   * Runs `fn` in one serializable write transaction: everything it writes commits together
   * or not at all. Throwing rolls back.
   */
  transaction<R>(fn: (tx: T) => Promise<R>): Promise<R>;
  /** Runs `fn` for reading only: a consistent snapshot, no write lock. Writing inside it is a bug. */
  read<R>(fn: (tx: T) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** Reads and checks a PDF; throws CoreError('invalid_document') when it is not acceptable. */
export interface DocumentInspector {
  inspect(bytes: Uint8Array): Promise<{ pageCount: number; sha256: string; size: number }>;
}

export interface CoreSettings {
  /** How long a "Proceed to Sign" session lasts. */
  readonly signSessionMs: number;
  /** After a session lapsed unfinished, how long its signer waits before starting another (0: no wait). */
  readonly signSessionCooldownMs: number;
  /** How many sessions one signer may start on a request. */
  readonly maxSignSessionsPerSigner: number;
  /** Key for signing-link tokens (HMAC). Shared by every server process. */
  readonly linkKey: Uint8Array;
}

/** A webhook URL the policy accepted (normalised, as it is stored), or why it refused it. */
export type WebhookUrlVerdict =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * The one rule for a webhook URL a tenant registers, whatever the surface: http or https, no
 * credentials, no fragment, and a host whose every address is public unless the operator allows
 * private targets. A port because it resolves the host (src/delivery/webhook-url-policy.ts).
 */
export interface WebhookUrlPolicy {
  check(url: string): Promise<WebhookUrlVerdict>;
}

/**
 * Everything a use case may touch. Built by hand in src/main.ts. Core use cases take `CoreDeps`
 * (their transactions see `Tx`); delivery and the providers are given the same deps with a store
 * whose transactions also reach their own tables (`CoreDeps<StoreTx>`).
 */
export interface CoreDeps<T extends Tx = Tx> {
  readonly store: Store<T>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly documents: DocumentInspector;
  readonly settings: CoreSettings;
  readonly webhookUrls: WebhookUrlPolicy;
}

export type { Actor, Scope };
