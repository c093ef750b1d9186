/**
 * The tables the provider surfaces own (migrations 003, 005, 006, 010), as plain data and async
 * repositories. Declared here, not in src/providers, so that storage imports no provider code:
 * the providers import these types, and each database implements them (src/storage/sqlite/ today).
 * Every method runs inside the transaction it is reached through (`tx.taktikal`, `tx.singpass`,
 * `tx.kaizenRequestNumbers`): a write commits with whatever else that transaction writes.
 */
import type { JSONWebKeySet } from 'jose';

// --- Taktikal (005_taktikal.sql): the fields a Taktikal client sent that the core has no column for.

export type TaktikalDeliveryType = 'None' | 'Email' | 'Sms';

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
  readonly communicationDeliveryType: TaktikalDeliveryType;
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

export interface TaktikalRepository {
  insertProcess(
    tenantId: string,
    requestId: string,
    processKey: string,
    details: TaktikalProcessDetails,
  ): Promise<void>;
  /** The details of those of `requestIds` that have a row, keyed by request id. */
  processDetails(tenantId: string, requestIds: readonly string[]): Promise<Map<string, TaktikalProcessDetails>>;
  insertSequence(
    tenantId: string,
    sequenceId: string,
    sequenceKey: string,
    details: TaktikalSequenceDetails,
  ): Promise<void>;
  sequenceDetails(tenantId: string, sequenceId: string): Promise<TaktikalSequenceDetails | undefined>;
}

// --- Singpass (003_singpass.sql): registered relying parties, used token ids, initiated sign requests.

export interface SingpassClientRecord {
  readonly clientId: string;
  readonly tenantId: string;
  /** Exactly one of jwksUrl and jwks is set. */
  readonly jwksUrl: string | null;
  readonly jwks: JSONWebKeySet | null;
  /** The operator allowed this client's JWKS URL on a private or loopback host. */
  readonly allowPrivateJwksUrl: boolean;
  readonly createdAt: number;
}

/** Where the RP asked the signature to go: fractions of the page width/height, 1-based page. */
export interface SigningLocation {
  readonly x: number;
  readonly y: number;
  readonly page: number;
}

export interface SingpassSignRequestRecord {
  /** `signv3-<uuid>`: the id the RP sees, also the core request's alias `singpass_request_id`. */
  readonly requestId: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** sha256 hex of the exchange_code; the code itself is shown once and never stored. */
  readonly exchangeCodeHash: string;
  readonly signingLocation: SigningLocation;
  readonly createdAt: number;
}

export interface SingpassRepository {
  /** False when the client_id is already registered (client ids are unique across tenants). */
  insertClient(client: SingpassClientRecord): Promise<boolean>;
  getClient(clientId: string): Promise<SingpassClientRecord | undefined>;
  listClients(tenantId: string): Promise<SingpassClientRecord[]>;
  /**
   * Records a token id once; false when it was already recorded and has not expired. Expired
   * records (before `now`) are pruned along the way.
   */
  claimJti(clientId: string, jti: string, expiresAtMs: number, now: number): Promise<boolean>;
  /** Written in the transaction that creates the core request, so that neither exists without the other. */
  insertSignRequest(record: SingpassSignRequestRecord): Promise<void>;
  getSignRequest(requestId: string): Promise<SingpassSignRequestRecord | undefined>;
  findSignRequestByExchangeCodeHash(exchangeCodeHash: string): Promise<SingpassSignRequestRecord | undefined>;
}

// --- KAiZEN (006_kaizen_auco.sql): the per-tenant counter behind `RequestNo` ("KAiZEN-118").

export interface KaizenRequestNumberRepository {
  /**
   * The tenant's next number (1, 2, 3, …): never the same twice, even for concurrent callers. Taken
   * in the transaction that creates the request, so a refused creation gives its number back.
   */
  next(tenantId: string): Promise<number>;
}

/** What a transaction reaches of the providers' own tables. */
export interface ProviderRepositories {
  readonly taktikal: TaktikalRepository;
  readonly singpass: SingpassRepository;
  readonly kaizenRequestNumbers: KaizenRequestNumberRepository;
}
