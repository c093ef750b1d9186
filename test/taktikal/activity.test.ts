/** Activity logs built from the audit trail: per process and company-wide. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/harness.js';
import { createProcess, createTaktikalTenant, signThroughLink, type TaktikalTenant } from './taktikal-client.js';

let server: TestServer;
let tenant: TaktikalTenant;
before(async () => {
  server = await startTestServer();
  tenant = await createTaktikalTenant(server);
});
after(async () => server.close());

const range = () => {
  const now = server.clock.now();
  return `StartDate=${new Date(now - 3_600_000).toISOString()}&EndDate=${new Date(now + 3_600_000).toISOString()}`;
};
type Entry = { status: string; createdBy: string; signeeKey?: string; processKey: string; createdAt: string };

describe('activity log', () => {
  test('a cancelled process: Created … SignupSent … SigneeSigned … Canceled, the cancellation by the User given', async () => {
    const process = await createProcess(tenant.client, [
      { name: 'Ann', email: 'ann@example.com', communicationDeliveryType: 'email' },
      { name: 'Bob', email: 'bob@example.com', communicationDeliveryType: 'email' },
    ]);
    await signThroughLink(server, process.signees[0].url);
    server.clock.advance(1000);
    assert.equal(
      (
        await tenant.client.request(
          'DELETE',
          `/management/signing?ProcessKey=${process.key}&User=canceller@example.com`,
        )
      ).status,
      204,
    );

    const response = await tenant.client.request('GET', `/signing/activity/${process.key}?${range()}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.length, 1);
    const [wrapper] = response.body;
    assert.equal(wrapper.processKey, process.key);
    const statuses = wrapper.activityLog.map((entry: Entry) => entry.status);
    assert.deepEqual(statuses.slice(0, 4), ['Created', 'SigneeAdded', 'SigneeAdded', 'Started']);
    for (const status of ['SignupSent', 'Opened', 'SigningStarted', 'SigneeSigned', 'Canceled'])
      assert.ok(statuses.includes(status), status);
    const created = wrapper.activityLog.find((entry: Entry) => entry.status === 'Created');
    assert.equal(created.createdBy, 'owner@example.com');
    assert.equal(created.fileName, 'contract.pdf');
    assert.equal(created.flowKey, '7e364abfaxx5');
    const signed = wrapper.activityLog.find((entry: Entry) => entry.status === 'SigneeSigned');
    assert.equal(signed.signeeKey, process.signees[0].key);
    const cancelled = wrapper.activityLog.find((entry: Entry) => entry.status === 'Canceled');
    assert.equal(cancelled.createdBy, 'canceller@example.com');
    assert.match(cancelled.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    assert.deepEqual(
      wrapper.signees.map((signee: { signeeKey: string }) => signee.signeeKey),
      process.signees.map((signee: { key: string }) => signee.key),
    );
  });

  test('the company-wide log (/signing/activity and /signing/activity/company) holds every process, filterable by User', async () => {
    const mine = await createProcess(tenant.client, undefined, { user: 'alice@example.com' });
    const theirs = await createProcess(tenant.client, undefined, { user: 'zoe@example.com' });
    for (const path of ['/signing/activity', '/signing/activity/company']) {
      const all = await tenant.client.request('GET', `${path}?${range()}`);
      assert.equal(all.status, 200);
      const keys = all.body.map((wrapper: { processKey: string }) => wrapper.processKey);
      assert.ok(keys.includes(mine.key) && keys.includes(theirs.key), path);
    }
    const filtered = await tenant.client.request('GET', `/signing/activity?${range()}&User=alice@example.com`);
    assert.deepEqual(
      filtered.body.map((wrapper: { processKey: string }) => wrapper.processKey),
      [mine.key],
    );
  });

  test('Take and Skip count entries; a range before anything happened is empty', async () => {
    const process = await createProcess(tenant.client);
    const all = (await tenant.client.request('GET', `/signing/activity/${process.key}?${range()}`)).body[0].activityLog;
    const page = await tenant.client.request('GET', `/signing/activity/${process.key}?${range()}&Skip=1&Take=2`);
    assert.deepEqual(page.body[0].activityLog, all.slice(1, 3));
    const empty = await tenant.client.request(
      'GET',
      `/signing/activity/${process.key}?StartDate=2001-01-01&EndDate=2001-01-02`,
    );
    assert.deepEqual(empty.body, []);
  });

  test('another tenant sees none of it', async () => {
    const process = await createProcess(tenant.client);
    const other = await createTaktikalTenant(server, 'Other');
    assert.equal((await other.client.request('GET', `/signing/activity/${process.key}?${range()}`)).status, 404);
    assert.deepEqual((await other.client.request('GET', `/signing/activity?${range()}`)).body, []);
  });

  test('StartDate and EndDate are required, must be dates and in order', async () => {
    const process = await createProcess(tenant.client);
    const missing = await tenant.client.request('GET', `/signing/activity/${process.key}`);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.responseStatus.errors.map((error: { fieldName: string }) => error.fieldName).sort(), [
      'EndDate',
      'StartDate',
    ]);
    const garbage = await tenant.client.request('GET', '/signing/activity?StartDate=yesterday&EndDate=2030-01-01');
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.responseStatus.errors[0].fieldName, 'StartDate');
    const reversed = await tenant.client.request('GET', '/signing/activity?StartDate=2030-01-01&EndDate=2020-01-01');
    assert.equal(reversed.status, 400);
    assert.equal(reversed.body.responseStatus.errors[0].fieldName, 'EndDate');
    const tooMany = await tenant.client.request('GET', `/signing/activity?${range()}&Take=10001`);
    assert.equal(tooMany.status, 400);
  });
});
