/**
 * The contract every Store implementation passes (SQLite today; PostgreSQL will run the same
 * suite). It pins the semantics the core relies on: compare-and-set, the active-session guard,
 * rollback on throw, idempotency records, the audit chain head, aliases, tenant scoping and credential pages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CredentialPageQuery, NewRequestRecord, Store } from '../../src/core/ports.js';

let counter = 0;
const id = (prefix: string) => `${prefix}_contract_${(counter += 1).toString().padStart(6, '0')}`;

function newRequest(tenantId: string, overrides: Partial<NewRequestRecord> = {}): NewRequestRecord {
  const requestId = id('sr');
  return {
    id: requestId,
    tenantId,
    title: 'Contract',
    message: null,
    ownerEmail: null,
    sequenceId: null,
    createdAt: 1_000,
    expiresAt: 10_000,
    origin: 'test',
    document: { id: id('doc'), filename: 'a.pdf', size: 3, sha256: 'x'.repeat(64), pageCount: 1 },
    documentBytes: new Uint8Array([1, 2, 3]),
    signers: [{ id: id('sgr'), name: 'A', email: 'a@example.com', order: 1, status: 'notified' }],
    aliases: {},
    ...overrides,
  };
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  const withStore = async (fn: (store: Store, tenantId: string) => Promise<void>) => {
    const store = await open();
    const tenantId = id('ten');
    try {
      await store.transaction((tx) => tx.tenants.insert({ id: tenantId, name: 'T', createdAt: 1 }));
      await fn(store, tenantId);
    } finally {
      await store.close();
    }
  };

  test(`${name}: status changes are compare-and-set`, () =>
    withStore(async (store, tenantId) => {
      const record = newRequest(tenantId);
      await store.transaction((tx) => tx.requests.insert(record));
      const first = await store.transaction((tx) =>
        tx.requests.changeStatus({ requestId: record.id, from: ['pending'], to: 'cancelled', now: 2_000 }),
      );
      const second = await store.transaction((tx) =>
        tx.requests.changeStatus({ requestId: record.id, from: ['pending'], to: 'completed', now: 2_001 }),
      );
      assert.deepEqual([first, second], [true, false]);
      const stored = await store.read((tx) => tx.requests.get(tenantId, record.id));
      assert.equal(stored?.status, 'cancelled');
      assert.equal(stored?.version, 2);
    }));

  test(`${name}: an active session blocks a guarded change until it expires`, () =>
    withStore(async (store, tenantId) => {
      const record = newRequest(tenantId);
      await store.transaction(async (tx) => {
        await tx.requests.insert(record);
        await tx.sessions.open({
          id: id('ses'),
          requestId: record.id,
          signerId: record.signers[0]!.id,
          startedAt: 1_000,
          expiresAt: 5_000,
          endedAt: null,
        });
      });
      const guarded = (now: number) =>
        store.transaction((tx) =>
          tx.requests.changeStatus({
            requestId: record.id,
            from: ['pending'],
            to: 'cancelled',
            now,
            requireNoActiveSession: true,
          }),
        );
      assert.equal(await guarded(4_999), false);
      assert.equal(await guarded(5_000), true, 'a session is over at its expiry');
    }));

  test(`${name}: a throw rolls the whole transaction back`, () =>
    withStore(async (store, tenantId) => {
      const record = newRequest(tenantId);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.requests.insert(record);
          throw new Error('boom');
        }),
      );
      assert.equal(await store.read((tx) => tx.requests.get(tenantId, record.id)), undefined);
    }));

  test(`${name}: requests are scoped to their tenant and found by alias`, () =>
    withStore(async (store, tenantId) => {
      const record = newRequest(tenantId, { aliases: { test_alias: 'ALIAS-1' } });
      await store.transaction((tx) => tx.requests.insert(record));
      assert.equal(await store.read((tx) => tx.requests.resolveId(tenantId, 'ALIAS-1')), record.id);
      assert.equal(await store.read((tx) => tx.requests.resolveId('ten_other', 'ALIAS-1')), undefined);
      assert.equal(await store.read((tx) => tx.requests.get('ten_other', record.id)), undefined);
      assert.deepEqual((await store.read((tx) => tx.requests.get(tenantId, record.id)))?.aliases, {
        test_alias: 'ALIAS-1',
      });
    }));

  test(`${name}: idempotency records and the audit head`, () =>
    withStore(async (store, tenantId) => {
      await store.transaction((tx) =>
        tx.idempotency.put(tenantId, 'cancel', 'k1', {
          fingerprint: 'f',
          outcome: { ok: true, value: 1 },
          createdAt: 1,
        }),
      );
      assert.deepEqual((await store.read((tx) => tx.idempotency.get(tenantId, 'cancel', 'k1')))?.outcome, {
        ok: true,
        value: 1,
      });
      assert.equal(await store.read((tx) => tx.idempotency.get('ten_other', 'cancel', 'k1')), undefined);
      const event = {
        id: id('evt'),
        tenantId,
        requestId: null,
        type: 't',
        actor: { type: 'system' as const, id: 's' },
        surface: 'test',
        ip: null,
        userAgent: null,
        reason: null,
        data: {},
        createdAt: 1,
        prevHash: '0'.repeat(64),
        hash: 'a'.repeat(64),
      };
      await store.transaction((tx) => tx.audit.insertMany([event]));
      assert.equal(await store.read((tx) => tx.audit.lastHash(tenantId)), 'a'.repeat(64));
      assert.equal((await store.read((tx) => tx.audit.head(tenantId)))?.hash, 'a'.repeat(64));
    }));

  test(`${name}: purging a document deletes its bytes and keeps its metadata`, () =>
    withStore(async (store, tenantId) => {
      const record = newRequest(tenantId);
      await store.transaction((tx) => tx.requests.insert(record));
      assert.deepEqual(await store.read((tx) => tx.documents.getBytes(record.document.id)), new Uint8Array([1, 2, 3]));
      assert.equal(await store.transaction((tx) => tx.documents.purge(record.document.id, 3_000)), true);
      assert.equal(await store.read((tx) => tx.documents.getBytes(record.document.id)), undefined);
      assert.equal((await store.read((tx) => tx.requests.get(tenantId, record.id)))?.document.purgedAt, 3_000);
    }));

  test(`${name}: many requests load and move at once, with the same guard as one`, () =>
    withStore(async (store, tenantId) => {
      const [free, inSession, signed] = [
        newRequest(tenantId, { aliases: { test_alias: `ALIAS-${id('x')}` } }),
        newRequest(tenantId),
        newRequest(tenantId),
      ];
      const foreign = newRequest(tenantId, { tenantId: 'ten_other_many' });
      await store.transaction(async (tx) => {
        await tx.tenants.insert({ id: 'ten_other_many', name: 'O', createdAt: 1 });
        for (const record of [free, inSession, signed, foreign]) await tx.requests.insert(record);
        await tx.sessions.open({
          id: id('ses'),
          requestId: inSession.id,
          signerId: inSession.signers[0]!.id,
          startedAt: 1_000,
          expiresAt: 5_000,
          endedAt: null,
        });
        await tx.requests.changeStatus({ requestId: signed.id, from: ['pending'], to: 'completed', now: 1_500 });
      });
      const all = [free.id, inSession.id, signed.id, foreign.id, 'sr_unknown'];
      const loaded = await store.read((tx) => tx.requests.getMany(tenantId, all));
      assert.deepEqual(
        [...loaded.keys()].sort(),
        [free.id, inSession.id, signed.id].sort(),
        "other tenants' and unknown ids are left out",
      );
      assert.deepEqual(
        loaded.get(free.id),
        await store.read((tx) => tx.requests.get(tenantId, free.id)),
        'the same record as one get',
      );
      const moved = await store.transaction((tx) =>
        tx.requests.changeStatusMany({
          requestIds: [free.id, inSession.id, signed.id],
          from: ['pending'],
          to: 'cancelled',
          now: 2_000,
          requireNoActiveSession: true,
        }),
      );
      assert.deepEqual([...moved], [free.id], 'only the pending request without an active session moved');
      assert.equal((await store.read((tx) => tx.requests.get(tenantId, free.id)))?.version, 2);
    }));

  test(`${name}: a pending cancellation loads with its request and every member of its sequence, one per sequence, until deleted`, () =>
    withStore(async (store, tenantId) => {
      const sequenceId = id('seq');
      const [named, member, lone] = [
        newRequest(tenantId, { sequenceId }),
        newRequest(tenantId, { sequenceId }),
        newRequest(tenantId),
      ];
      const pending = {
        id: id('pcl'),
        tenantId,
        requestId: named.id,
        sequenceId,
        requestedAt: 2_000,
        context: { actor: { type: 'api_key' as const, id: 'key_1' }, surface: 'v1' as const, ip: '192.0.2.1' },
        reason: 'r',
        message: null,
        reasonCode: null,
        notify: 'pending' as const,
        retention: { mode: 'purge_after' as const, days: 3 },
      };
      await store.transaction(async (tx) => {
        await tx.sequences.insert({ id: sequenceId, tenantId, title: null, createdAt: 1 });
        for (const record of [named, member, lone]) await tx.requests.insert(record);
        await tx.pendingCancellations.insert(pending);
      });
      const { tenantId: _tenant, sequenceId: _sequence, ...expected } = pending;
      const loaded = await store.read(async (tx) => [
        await tx.requests.get(tenantId, named.id),
        await tx.requests.get(tenantId, member.id),
        await tx.requests.get(tenantId, lone.id),
      ]);
      assert.deepEqual(
        loaded.map((request) => request?.pendingCancellation ?? null),
        [expected, expected, null],
      );
      const many = await store.read((tx) => tx.requests.getMany(tenantId, [member.id, lone.id]));
      assert.deepEqual(many.get(member.id)?.pendingCancellation, expected, 'loaded in bulk too');
      await assert.rejects(
        store.transaction((tx) => tx.pendingCancellations.insert({ ...pending, id: id('pcl'), requestId: member.id })),
        'one per sequence',
      );
      assert.equal(
        await store.transaction((tx) => tx.pendingCancellations.delete('ten_other', pending.id)),
        false,
        'tenant-scoped',
      );
      assert.equal(await store.transaction((tx) => tx.pendingCancellations.delete(tenantId, pending.id)), true);
      assert.equal((await store.read((tx) => tx.requests.get(tenantId, member.id)))?.pendingCancellation, null);
    }));

  test(`${name}: a signer's session history: how many, and the latest`, () =>
    withStore(async (store, tenantId) => {
      const record = newRequest(tenantId);
      const signerId = record.signers[0]!.id;
      await store.transaction((tx) => tx.requests.insert(record));
      assert.deepEqual(await store.read((tx) => tx.sessions.historyOfSigner(signerId)), {
        count: 0,
        latest: undefined,
      });
      const sessions = [1_000, 3_000].map((startedAt) => ({
        id: id('ses'),
        requestId: record.id,
        signerId,
        startedAt,
        expiresAt: startedAt + 1_000,
        endedAt: null,
      }));
      await store.transaction(async (tx) => {
        for (const session of sessions) await tx.sessions.open(session);
      });
      assert.deepEqual(await store.read((tx) => tx.sessions.historyOfSigner(signerId)), {
        count: 2,
        latest: sessions[1],
      });
    }));

  test(`${name}: a tenant has live webhook endpoints until every one is disabled, and only its own`, () =>
    withStore(async (store, tenantId) => {
      const other = id('ten');
      await store.transaction((tx) => tx.tenants.insert({ id: other, name: 'O', createdAt: 1 }));
      const live = () =>
        store.read(async (tx) => [
          await tx.webhookEndpoints.hasLive(tenantId),
          await tx.webhookEndpoints.hasLive(other),
        ]);
      assert.deepEqual(await live(), [false, false]);
      const endpoints = ['native', 'auco'].map((format) => ({
        id: id('whe'),
        tenantId,
        format: format as 'native' | 'auco',
        url: 'https://example.com/hook',
        events: ['*'],
        sealedSecret: null,
        sealedHeader: null,
        description: null,
        externalId: null,
        createdAt: 1,
        disabledAt: null,
      }));
      await store.transaction(async (tx) => {
        for (const endpoint of endpoints) await tx.webhookEndpoints.insert(endpoint);
      });
      assert.deepEqual(await live(), [true, false]);
      await store.transaction((tx) => tx.webhookEndpoints.disable(tenantId, endpoints[0]!.id, 2));
      assert.deepEqual(await live(), [true, false], 'one of any format is enough');
      await store.transaction((tx) => tx.webhookEndpoints.disable(tenantId, endpoints[1]!.id, 2));
      assert.deepEqual(await live(), [false, false]);
    }));

  test(`${name}: credentials page by kind and status, in id order, within their tenant; revoking is once`, () =>
    withStore(async (store, tenantId) => {
      const other = id('ten');
      await store.transaction((tx) => tx.tenants.insert({ id: other, name: 'O', createdAt: 1 }));
      const credential = (owner: string, kind: string, expiresAt: number | null) => ({
        id: id('key'),
        tenantId: owner,
        kind,
        lookup: id('lk'),
        secretHash: '0'.repeat(64),
        scopes: ['read'],
        label: null,
        createdAt: 1,
        expiresAt,
        revokedAt: null,
        sealedSecret: null,
      });
      const [live, expiring, revoked, otherKind, foreign] = [
        credential(tenantId, 'a', null),
        credential(tenantId, 'a', 100),
        credential(tenantId, 'a', null),
        credential(tenantId, 'b', null),
        credential(other, 'a', null),
      ];
      await store.transaction(async (tx) => {
        for (const entry of [live, expiring, revoked, otherKind, foreign]) await tx.credentials.insert(entry!);
      });
      assert.equal(
        await store.transaction((tx) => tx.credentials.revoke(other, revoked!.id, 5)),
        false,
        'another tenant cannot revoke it',
      );
      assert.equal(await store.transaction((tx) => tx.credentials.revoke(tenantId, revoked!.id, 5)), true);
      assert.equal(
        await store.transaction((tx) => tx.credentials.revoke(tenantId, revoked!.id, 6)),
        false,
        'only once',
      );
      const page = (query: Partial<CredentialPageQuery>) =>
        store.read(async (tx) =>
          (await tx.credentials.page(tenantId, { kinds: ['a'], now: 100, limit: 10, ...query })).map(
            (entry) => entry.id,
          ),
        );
      assert.deepEqual(await page({}), [live!.id, expiring!.id, revoked!.id]);
      assert.deepEqual(await page({ status: 'active' }), [live!.id]);
      assert.deepEqual(await page({ status: 'active', now: 99 }), [live!.id, expiring!.id], 'expiry is judged at now');
      assert.deepEqual(await page({ status: 'expired' }), [expiring!.id]);
      assert.deepEqual(await page({ status: 'revoked' }), [revoked!.id]);
      assert.deepEqual(await page({ kinds: ['a', 'b'], afterId: expiring!.id }), [revoked!.id, otherKind!.id]);
      assert.deepEqual(await page({ limit: 1 }), [live!.id]);
      assert.equal((await store.read((tx) => tx.credentials.get(tenantId, revoked!.id)))?.revokedAt, 5);
      assert.equal(await store.read((tx) => tx.credentials.get(tenantId, foreign!.id)), undefined);
      assert.ok((await store.read((tx) => tx.tenants.list())).some((tenant) => tenant.id === other));
    }));

  test(`${name}: events inserted together chain like events inserted one by one`, () =>
    withStore(async (store, tenantId) => {
      const event = (hash: string) => ({
        id: id('evt'),
        tenantId,
        requestId: null,
        type: 't',
        actor: { type: 'system' as const, id: 's' },
        surface: 'test',
        ip: null,
        userAgent: null,
        reason: null,
        data: { hash },
        createdAt: 1,
        prevHash: '0'.repeat(64),
        hash: hash.repeat(64),
      });
      await store.transaction((tx) => tx.audit.insertMany([event('a'), event('b'), event('c')]));
      assert.equal(await store.read((tx) => tx.audit.lastHash(tenantId)), 'c'.repeat(64));
      const page = await store.read((tx) => tx.audit.page(tenantId, 0, 10));
      assert.deepEqual(
        page.map((row) => row.data),
        [{ hash: 'a' }, { hash: 'b' }, { hash: 'c' }],
      );
      assert.equal(
        (await store.read((tx) => tx.audit.head(tenantId)))?.seq,
        page[2]!.seq,
        'the head points at the last row',
      );
    }));
}
