/**
 * What the Singpass surface stores of its own (migrations/sqlite/003_singpass.sql), behind an
 * interface so that another database can implement it. SQLite: src/storage/sqlite/singpass-repository.ts.
 */
import type { JSONWebKeySet } from 'jose';

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
  insertSignRequest(record: SingpassSignRequestRecord): Promise<void>;
  /** Removes the row of a sign request whose creation failed. */
  deleteSignRequest(requestId: string): Promise<void>;
  getSignRequest(requestId: string): Promise<SingpassSignRequestRecord | undefined>;
  findSignRequestByExchangeCodeHash(exchangeCodeHash: string): Promise<SingpassSignRequestRecord | undefined>;
}
