// The shapes the log scrubber recognises, one example each (the end-to-end run through every
// surface is secrets-in-logs.test.ts); and what it must leave alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets, redactUrl } from '../../src/logging/redact-secrets.js';

test('every secret shape is replaced, wherever it appears in a line', () => {
  const cases: [string, string][] = [
    [
      'GET /v1/signing/sgr_01m977ww8jv380bhcjw8ap910h.CzeZqfB7R4NNGaagWMFOA07GobVfqWC9ZSqwPAUgLgM/start',
      'GET /v1/signing/[redacted]/start',
    ],
    [
      'token sgr_01m977ww8jv380bhcjw8ap910h.CzeZqfB7R4NNGaagWMFOA07GobVfqWC9ZSqwPAUgLgM refused',
      'token sgr_01m977ww8jv380bhcjw8ap910h.[redacted] refused',
    ],
    [
      '/singpass/api/v3/signed-documents/signv3-01a24e7e-72f5-7e28-b824-3def7ee00488.1796613359.Dj_8PWW5N-u8r9n00vJgRm-8JDyJTQjeSIh83iuZccs',
      '/singpass/api/v3/signed-documents/[redacted]',
    ],
    [
      '302 to https://idp.example/cb?code=Ur16hT_y9pIOwkd&state=1',
      '302 to https://idp.example/cb?code=[redacted]&state=1',
    ],
    [
      '/x?api_key=1&ApiKey=2&access_token=3&client_secret=4&password=5&sig=6&status=pending',
      '/x?api_key=[redacted]&ApiKey=[redacted]&access_token=[redacted]&client_secret=[redacted]&password=[redacted]&sig=[redacted]&status=pending',
    ],
    [
      'connect to smtp://mailer:hunter2-secret@mail.example:587 failed',
      'connect to smtp://mailer:[redacted]@mail.example:587 failed',
    ],
    [
      'header was Bearer abcdefghijklmnop, then Basic dXNlcjpwYXNzd29yZA==',
      'header was Bearer [redacted], then Basic [redacted]',
    ],
    ['jwt eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here', 'jwt [redacted jwt] here'],
    ['csk_iFWmD_hSHjVb.0ArwkoZJjr4yrR19LolXnkpFGCBpEkgQ', 'csk_[redacted]'],
    [
      'lmk_JQn1DWSl_r-y.zyaIO4CefCiKIUPgu1QziU-PSSmQNefL lmt_JQn1DWSl_r-y.zyaIO4CefCiKIUPgu1QziU-PSSmQNefL',
      'lmk_[redacted] lmt_[redacted]',
    ],
    ['prk_a146b133f94f31858eb64ba3b608ea71c17935c43d36fc30bef4a727bf83445e', 'prk_[redacted]'],
    ['api-687806052a321332b4a2af101e11', 'api-[redacted]'],
    ['TAFAR0Q-Z2PEFK-N4FNHB-G24BG9-M5SZ8N-GCWX2R-8CFGE2-KYQHNZ-A', '[redacted app token]'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_[redacted]'],
  ];
  for (const [input, expected] of cases) assert.equal(redactSecrets(input), expected, input);
});

test('ordinary text is left alone', () => {
  for (const text of [
    'api.example.com resolved to 1.2.3.4',
    'sr_01m977wwmf87wp1e0k2kn9wr5r cancelled',
    '/v1/signature-requests?status=pending&limit=10',
    'receiver answered 500',
  ]) {
    assert.equal(redactSecrets(text), text);
  }
});

test('a request URL: route parameters named like credentials are replaced, the others kept', () => {
  const route = { pattern: '/v1/signing/:token/start', params: { token: 'sgr_x.secret' } };
  assert.equal(redactUrl('/v1/signing/sgr_x.secret/start?lang=en', route), '/v1/signing/[redacted]/start?lang=en');
  assert.equal(
    redactUrl('/v1/signature-requests/sr_1', { pattern: '/v1/signature-requests/:id', params: { id: 'sr_1' } }),
    '/v1/signature-requests/sr_1',
  );
  assert.equal(redactUrl('/nope?token=abc'), '/nope?token=[redacted]');
});
