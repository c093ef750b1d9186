// The audit hash is a stored format: every chain already written must keep verifying. These pin
// the canonical JSON and one event's hash, so that a faster or tidier implementation cannot
// silently change either.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, hashAuditEvent } from '../../src/core/audit.js';

test('canonical JSON sorts keys by UTF-16 code unit, drops undefined members, keeps array order and nulls', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, undefined, { y: 1, x: 2 }], c: null }, skipped: undefined, B: 'ü' }),
    '{"B":"ü","a":{"c":null,"d":[3,null,{"x":2,"y":1}]},"b":1}',
  );
  assert.equal(canonicalJson({ é: 1, z: 2, '10': 3, '2': 4 }), '{"10":3,"2":4,"z":2,"é":1}');
  assert.equal(canonicalJson(undefined), 'null');
  assert.equal(canonicalJson([]), '[]');
  assert.equal(canonicalJson({}), '{}');
});

test('an event hashes to the value chains were written with', () => {
  const event = {
    id: 'evt_01JBQ3Z7Y0000000000000000',
    tenantId: 'ten_1',
    requestId: 'sr_1',
    type: 'request.cancelled',
    actor: { type: 'api_key' as const, id: 'key_1', display: 'Ops key' },
    surface: 'v1',
    ip: '203.0.113.7',
    userAgent: 'curl/8',
    reason: 'deal fell through',
    data: {
      notify: 'pending',
      from: 'pending',
      message: 'Ünïcode “quotes”',
      retention: { mode: 'purge_after', days: 30 },
      skipped: undefined,
      list: [1, null, { z: 1, a: [] }],
    },
    createdAt: 1767225600000,
    prevHash: 'a'.repeat(64),
  };
  const expected = '2d9ed34eb21f4d3721f1fcdb52b0fc836b12542f4d75fe48de7d3f93d098e635';
  assert.equal(hashAuditEvent(event), expected);
  assert.equal(
    hashAuditEvent(event, canonicalJson(event.actor)),
    expected,
    'a writer passing the actor pre-encoded gets the same hash',
  );
});
