/** The domain records. Plain data; storage and surfaces translate to and from these. */
import type { RequestStatus, SignerStatus } from './state-machine.js';

export type Scope = 'read' | 'write' | 'admin';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

/** Who did something. `display` is what people are shown (an email, a key's label). */
export interface Actor {
  readonly type: 'user' | 'api_key' | 'signer' | 'system' | 'integration';
  readonly id: string;
  readonly display?: string;
  /** The credential the action came through, when the actor is a person named by the caller. */
  readonly via?: string;
}

/**
 * Where a command came from: the native API, a provider surface, the signer's link, the CLI or the
 * outbox worker. A closed list: the audit trail and /openapi.json name these and only these.
 */
export const CALL_SURFACES = [
  'v1',
  'lumin',
  'singpass',
  'taktikal',
  'kaizen',
  'auco',
  'signing',
  'cli',
  'worker',
] as const;
export type CallSurface = (typeof CALL_SURFACES)[number];

/** Where a command came from, for the audit trail. */
export interface CallContext {
  readonly actor: Actor;
  readonly surface: CallSurface;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly httpRequestId?: string;
}

export interface DocumentMeta {
  readonly id: string;
  readonly filename: string;
  readonly size: number;
  readonly sha256: string;
  readonly pageCount: number;
  /** Set once the bytes were deleted; metadata and the audit trail stay. */
  readonly purgedAt: number | null;
}

export interface Signer {
  readonly id: string;
  readonly requestId: string;
  readonly name: string;
  /** null when the signer has no email channel (Singpass: whoever opens the signing URL). */
  readonly email: string | null;
  /** Signers of the same order sign in parallel; a higher order waits for all lower ones. */
  readonly order: number;
  readonly status: SignerStatus;
  readonly signedAt: number | null;
  readonly declinedAt: number | null;
  readonly declineReason: string | null;
  readonly viewedAt: number | null;
}

export interface Cancellation {
  readonly cancelledAt: number;
  readonly actor: Actor;
  readonly reason: string | null;
  readonly message: string | null;
  readonly reasonCode: string | null;
  readonly notify: NotifyPolicy;
}

export interface SignatureRequest {
  readonly id: string;
  readonly tenantId: string;
  readonly title: string;
  readonly status: RequestStatus;
  readonly ownerEmail: string | null;
  readonly message: string | null;
  readonly sequenceId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number;
  readonly completedAt: number | null;
  readonly version: number;
  readonly document: DocumentMeta;
  readonly signers: readonly Signer[];
  readonly cancellation: Cancellation | null;
  /** Ids the provider surfaces showed for this request, by kind (e.g. taktikal_process_key). */
  readonly aliases: Readonly<Record<string, string>>;
  /** Which surface created it; provider surfaces render statuses and ids accordingly. */
  readonly origin: string;
  /** A cancel the sender asked for while a signer was in session, waiting for the session to end (its own or its sequence's). */
  readonly pendingCancellation: PendingCancellation | null;
}

/**
 * A deferred cancellation (ADR 7): the sender cancelled with `on_active_session: "defer"` while a
 * signer was in a sign session. No new session may start; when the blocking sessions end, the
 * cancel runs as the sender's own (same context, fields and retention), or ends refused when the
 * request was completed or declined meanwhile.
 */
export interface PendingCancellation {
  readonly id: string;
  /** The request the sender named; for a request of a sequence, it stands for the whole sequence. */
  readonly requestId: string;
  readonly requestedAt: number;
  /** Who asked, through which surface, from where: the deferred cancel is recorded as theirs. */
  readonly context: CallContext;
  readonly reason: string | null;
  readonly message: string | null;
  readonly reasonCode: string | null;
  readonly notify: NotifyPolicy;
  readonly retention: Retention;
}

export interface SignSession {
  readonly id: string;
  readonly requestId: string;
  readonly signerId: string;
  readonly startedAt: number;
  readonly expiresAt: number;
  readonly endedAt: number | null;
}

/**
 * Who is told of a cancellation:
 * - none: nobody;
 * - pending: signers who still owe a signature;
 * - contacted: signers who were already asked (notified, viewed, in session) or signed (Auco);
 * - all: every signer, including those who already signed and those not yet asked (Taktikal).
 */
/** Which payload, signature and retry schedule a webhook endpoint gets: native (Standard Webhooks) or a provider's. */
export const WEBHOOK_FORMATS = ['native', 'lumin', 'taktikal', 'auco', 'singpass'] as const;
export type WebhookEndpointFormat = (typeof WEBHOOK_FORMATS)[number];

export const NOTIFY_POLICIES = ['none', 'pending', 'contacted', 'all'] as const;
export type NotifyPolicy = (typeof NOTIFY_POLICIES)[number];

/** What happens to the document bytes when a request is cancelled. */
export type Retention =
  { readonly mode: 'retain' } | { readonly mode: 'purge' } | { readonly mode: 'purge_after'; readonly days: number };

/**
 * An audit event as stored: `type` and `data` as they were written and hashed, whatever version
 * wrote them. Read them typed with readAuditEvent (src/core/events/audit-events.ts).
 */
export interface AuditEvent {
  readonly seq: number;
  readonly id: string;
  readonly tenantId: string;
  readonly requestId: string | null;
  readonly type: string;
  readonly actor: Actor;
  readonly surface: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly reason: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly prevHash: string;
  readonly hash: string;
}
