/**
 * What the Singpass surface stores of its own (migrations/sqlite/003_singpass.sql). The records and
 * the repository (`tx.singpass`) are declared in src/storage/provider-repositories.ts, so that
 * storage imports no provider code; this is how the surface's routes use them: each call one
 * transaction (or read) of the store. An initiation writes its row in the transaction that
 * creates its core request instead (initiate-sign-request.ts).
 */
import type { SingpassClientRecord, SingpassSignRequestRecord } from '../../storage/provider-repositories.js';
import type { SurfaceContext } from '../surface.js';

export type {
  SigningLocation,
  SingpassClientRecord,
  SingpassSignRequestRecord,
} from '../../storage/provider-repositories.js';

export interface SingpassStore {
  /** False when the client_id is already registered (client ids are unique across tenants). */
  insertClient(client: SingpassClientRecord): Promise<boolean>;
  getClient(clientId: string): Promise<SingpassClientRecord | undefined>;
  listClients(tenantId: string): Promise<SingpassClientRecord[]>;
  /**
   * Records a token id once, in a transaction of its own: a claimed jti stays claimed whatever the
   * call it authenticated goes on to do. False when it was already recorded and has not expired.
   */
  claimJti(clientId: string, jti: string, expiresAtMs: number, now: number): Promise<boolean>;
  getSignRequest(requestId: string): Promise<SingpassSignRequestRecord | undefined>;
  findSignRequestByExchangeCodeHash(exchangeCodeHash: string): Promise<SingpassSignRequestRecord | undefined>;
}

export function createSingpassStore(context: SurfaceContext): SingpassStore {
  const { store } = context.deps;
  return {
    insertClient: (client) => store.transaction((tx) => tx.singpass.insertClient(client)),
    getClient: (clientId) => store.read((tx) => tx.singpass.getClient(clientId)),
    listClients: (tenantId) => store.read((tx) => tx.singpass.listClients(tenantId)),
    claimJti: (clientId, jti, expiresAtMs, now) =>
      store.transaction((tx) => tx.singpass.claimJti(clientId, jti, expiresAtMs, now)),
    getSignRequest: (requestId) => store.read((tx) => tx.singpass.getSignRequest(requestId)),
    findSignRequestByExchangeCodeHash: (hash) =>
      store.read((tx) => tx.singpass.findSignRequestByExchangeCodeHash(hash)),
  };
}
