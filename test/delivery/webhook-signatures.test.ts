import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import {
  LUMIN_USER_AGENT,
  computeLuminSignature,
  createTaktikalEventSignature,
  fromDotNetTicks,
  generateWebhookSecret,
  serializeTaktikalWebhookPayload,
  signLuminWebhook,
  signStandardWebhook,
  toDotNetTicks,
  verifyLuminSignature,
  verifyTaktikalSignature,
} from '../../src/delivery/webhook-signatures.js';

// The providers' reference samples, copied verbatim into test/fixtures so the repository stands alone.
const LUMIN_SAMPLES_PATH = new URL('../fixtures/lumin.samples.json', import.meta.url);

interface LuminVector {
  key: string;
  raw_body: string;
  header: string;
  expected_hex: string;
  user_agent: string;
}

function loadLuminVector(): LuminVector {
  const samples = JSON.parse(readFileSync(LUMIN_SAMPLES_PATH, 'utf8')) as { webhook_hmac_test_vector: LuminVector };
  return samples.webhook_hmac_test_vector;
}

// ---- Standard Webhooks ----

test('standard webhooks: the standardwebhooks package verifies our headers and rejects tampering', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ type: 'signature_request.cancelled', data: { id: 'sr_01J' } });
  const headers = signStandardWebhook({ id: 'msg_01', timestampSeconds: Math.floor(Date.now() / 1000), body, secret });

  assert.deepEqual(Object.keys(headers).sort(), ['webhook-id', 'webhook-signature', 'webhook-timestamp']);
  assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
  assert.deepEqual(new Webhook(secret).verify(body, { ...headers }), JSON.parse(body));
  assert.throws(() => new Webhook(secret).verify(body + ' ', { ...headers }));
  assert.throws(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers }));
  assert.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_02' }));
});

test('standard webhooks: byte-identical to the reference signer for a fixed timestamp', () => {
  const secret = generateWebhookSecret();
  const body = '{"test": 2432232314, "text": "Þórður ✓"}';
  const timestampSeconds = 1614265330;
  const headers = signStandardWebhook({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestampSeconds, body, secret });
  const reference = new Webhook(secret).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(timestampSeconds * 1000), body);
  assert.equal(headers['webhook-signature'], reference);
  assert.equal(headers['webhook-timestamp'], '1614265330');
});

test('standard webhooks: during a rotation each secret yields a signature the receiver accepts', () => {
  const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
  const body = '{"a":1}';
  const headers = signStandardWebhook({
    id: 'msg_rot',
    timestampSeconds: Math.floor(Date.now() / 1000),
    body,
    secret: [oldSecret, newSecret],
  });
  assert.equal(headers['webhook-signature'].split(' ').length, 2);
  assert.deepEqual(new Webhook(oldSecret).verify(body, { ...headers }), { a: 1 });
  assert.deepEqual(new Webhook(newSecret).verify(body, { ...headers }), { a: 1 });
});

test('standard webhooks: secrets are whsec_ + base64 of 32 random bytes, and malformed ones are refused', () => {
  const [first, second] = [generateWebhookSecret(), generateWebhookSecret()];
  assert.match(first, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(Buffer.from(first.slice('whsec_'.length), 'base64').length, 32);
  assert.notEqual(first, second);
  const sign = (secret: string) => signStandardWebhook({ id: 'm', timestampSeconds: 1, body: '', secret });
  assert.throws(() => sign('not-a-secret'), TypeError);
  assert.throws(() => sign('whsec_'), TypeError);
  assert.throws(() => sign('whsec_***'), TypeError);
  assert.throws(
    () =>
      signStandardWebhook({ id: 'm', timestampSeconds: Math.floor(Date.now() / 1000) + 0.5, body: '', secret: first }),
    RangeError,
  );
});

// ---- Lumin ----

test('lumin: the documented test vector reproduces exactly', () => {
  const vector = loadLuminVector();
  assert.equal(computeLuminSignature(vector.raw_body, vector.key), vector.expected_hex);
  const headers = signLuminWebhook(vector.raw_body, vector.key);
  assert.equal(headers[vector.header as 'X-Signature'], vector.expected_hex);
  assert.equal(headers['User-Agent'], vector.user_agent);
  assert.equal(LUMIN_USER_AGENT, 'Lumin Sign API');
});

test('lumin: verification accepts the vector and refuses any change to body, key or signature', () => {
  const { raw_body: body, key, expected_hex: signature } = loadLuminVector();
  assert.equal(verifyLuminSignature(body, key, signature), true);
  assert.equal(verifyLuminSignature(body, key, signature.toUpperCase()), true);
  assert.equal(verifyLuminSignature(body.replace('My first', 'My 1st'), key, signature), false);
  assert.equal(verifyLuminSignature(body, key + 'x', signature), false);
  const flipped = (signature[0] === '3' ? '4' : '3') + signature.slice(1);
  assert.equal(verifyLuminSignature(body, key, flipped), false);
  assert.equal(verifyLuminSignature(body, key, signature.slice(0, 63)), false);
  assert.equal(verifyLuminSignature(body, key, ''), false);
});

// ---- Taktikal ----

test('taktikal: .NET ticks match known DateTime values and round-trip', () => {
  assert.equal(toDotNetTicks(0), 621_355_968_000_000_000n); // DateTime(1970, 1, 1).Ticks
  assert.equal(toDotNetTicks(new Date('2000-01-01T00:00:00Z')), 630_822_816_000_000_000n); // DateTime(2000, 1, 1).Ticks
  assert.equal(toDotNetTicks(new Date('0001-01-01T00:00:00Z')), 0n);
  const at = new Date('2024-05-06T07:08:09.123Z');
  assert.equal(fromDotNetTicks(toDotNetTicks(at)).toISOString(), at.toISOString());
  // The docs' example TimeStamp (637030223561542290) is 2019-09-02; sub-millisecond ticks are dropped.
  assert.equal(fromDotNetTicks('637030223561542290').toISOString(), '2019-09-02T11:59:16.154Z');
  assert.throws(() => toDotNetTicks(new Date('nonsense')), RangeError);
});

test('taktikal: the EventSignature matches an independent HMAC of the documented formula', () => {
  const webhookSignatureKey = 'wsk_test_9f2c';
  const at = new Date('2024-05-06T07:08:09.123Z');
  const guid = '4071a0c4-e8c9-432c-8031-7d86ca217b12';
  const signature = createTaktikalEventSignature({ webhookSignatureKey, at, guid });

  // Computed independently with Python: (datetime(2024,5,6,7,8,9,123000) - datetime(1,1,1)) in 100 ns units.
  assert.equal(signature.TimeStamp, '638505760891230000');
  assert.equal(signature.Guid, guid);
  assert.equal(signature.SignedData, `638505760891230000${guid}`);
  const independent = createHmac('sha256', webhookSignatureKey)
    .update(`${signature.TimeStamp}${signature.Guid}`)
    .digest('base64');
  assert.equal(signature.Signature, independent);
  assert.equal(Buffer.from(signature.Signature, 'base64').length, 32);
});

test('taktikal: a random UUID guid and the current time by default', () => {
  const before = toDotNetTicks(Date.now());
  const first = createTaktikalEventSignature({ webhookSignatureKey: 'k' });
  const second = createTaktikalEventSignature({ webhookSignatureKey: 'k' });
  const after = toDotNetTicks(Date.now());
  assert.match(first.Guid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(first.Guid, second.Guid);
  assert.ok(BigInt(first.TimeStamp) >= before && BigInt(first.TimeStamp) <= after);
});

test('taktikal: verification accepts a valid signature and refuses changed data or key', () => {
  const signature = createTaktikalEventSignature({ webhookSignatureKey: 'right-key' });
  assert.equal(verifyTaktikalSignature(signature, 'right-key'), true);
  assert.equal(verifyTaktikalSignature(signature, 'wrong-key'), false);
  assert.equal(
    verifyTaktikalSignature({ ...signature, SignedData: signature.SignedData.replace(/^\d/, '9') }, 'right-key'),
    false,
  );
  // The docs' TypeScript sample signature is 40 characters (not a SHA-256): it must simply fail, not throw.
  assert.equal(
    verifyTaktikalSignature({ ...signature, Signature: 'NOUtCpHdAyQte6LDcNws4U4qw2vQVhrS4s8YX8=' }, 'right-key'),
    false,
  );
});

test('taktikal: the serialized payload writes TimeStamp as an exact JSON number', () => {
  const EventSignature = createTaktikalEventSignature({
    webhookSignatureKey: 'k',
    at: new Date('2024-05-06T07:08:09.123Z'),
  });
  const EventData = { ProcessKey: 'sp1', EventType: 5, Meta: { note: 'quote " and \u2028' } };
  const body = serializeTaktikalWebhookPayload({ Id: '3e9922f5fd7f4a9baa75a3fa90cb9caf', EventData, EventSignature });

  assert.match(body, /"EventSignature":\{"TimeStamp":638505760891230000,"Guid":"/);
  const parsed = JSON.parse(body) as {
    Id: string;
    EventData: unknown;
    EventSignature: { TimeStamp: unknown; SignedData: string; Signature: string };
  };
  assert.equal(parsed.Id, '3e9922f5fd7f4a9baa75a3fa90cb9caf');
  assert.deepEqual(parsed.EventData, EventData);
  assert.equal(typeof parsed.EventSignature.TimeStamp, 'number');
  // A JavaScript receiver loses precision in TimeStamp, which is why receivers check SignedData.
  assert.equal(verifyTaktikalSignature(parsed.EventSignature, 'k'), true);
  const malformed = { ...EventSignature, TimeStamp: '1,2' };
  assert.throws(() => serializeTaktikalWebhookPayload({ Id: 'x', EventData, EventSignature: malformed }), TypeError);
});
