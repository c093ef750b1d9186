import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelRefusalFor, recipientsFor } from '../../src/core/cancellation-rules.js';
import type { Signer } from '../../src/core/model.js';
import {
  CANCELLABLE,
  REQUEST_STATUSES,
  REQUEST_TRANSITIONS,
  SIGNER_TRANSITIONS,
  TERMINAL,
  canTransition,
  isCancellable,
} from '../../src/core/state-machine.js';

test('terminal statuses are exactly completed, declined and cancelled, and nothing leaves them', () => {
  assert.deepEqual([...TERMINAL].sort(), ['cancelled', 'completed', 'declined']);
  for (const status of TERMINAL)
    for (const to of REQUEST_STATUSES) assert.equal(canTransition(status, to), false, `${status} -> ${to}`);
  assert.equal(canTransition('cancelled', 'pending'), false, 'nothing un-cancels');
});

test('cancel is allowed from pending, partially signed and expired only', () => {
  assert.deepEqual([...CANCELLABLE].sort(), ['expired', 'partially_signed', 'pending']);
  assert.equal(isCancellable('expired'), true);
  assert.deepEqual(REQUEST_TRANSITIONS.expired, ['cancelled'], 'an expired request can only be cancelled');
});

test('each refusal has its documented code', () => {
  assert.equal(cancelRefusalFor('completed'), 'already_signed');
  assert.equal(cancelRefusalFor('declined'), 'declined');
  assert.equal(cancelRefusalFor('cancelled'), 'already_cancelled');
  for (const status of CANCELLABLE) assert.equal(cancelRefusalFor(status), null);
});

test('signer transitions: signed and declined are final, signing needs a session', () => {
  assert.deepEqual(SIGNER_TRANSITIONS.signed, []);
  assert.deepEqual(SIGNER_TRANSITIONS.declined, []);
  assert.equal(SIGNER_TRANSITIONS.viewed.includes('signed'), false, 'no signing without Proceed to Sign');
  assert.equal(SIGNER_TRANSITIONS.in_session.includes('signed'), true);
  assert.equal(SIGNER_TRANSITIONS.waiting.includes('in_session'), false, 'a waiting signer must be notified first');
});

test('notification policies pick the right signers and skip signers without email', () => {
  const signer = (id: string, status: Signer['status'], email: string | null = `${id}@example.com`): Signer => ({
    id,
    requestId: 'sr',
    name: id,
    email,
    order: 1,
    status,
    signedAt: null,
    declinedAt: null,
    declineReason: null,
    viewedAt: null,
  });
  const signers = [
    signer('waiting', 'waiting'),
    signer('notified', 'notified'),
    signer('signed', 'signed'),
    signer('nomail', 'notified', null),
  ];
  const ids = (policy: Parameters<typeof recipientsFor>[0]) => recipientsFor(policy, signers).map((s) => s.id);
  assert.deepEqual(ids('none'), []);
  assert.deepEqual(ids('pending'), ['waiting', 'notified']);
  assert.deepEqual(ids('contacted'), ['notified', 'signed']);
  assert.deepEqual(ids('all'), ['waiting', 'notified', 'signed']);
});
