// The email part of delivery: the three templates, and the mailer against a real SMTP server
// (smtp-server on 127.0.0.1), every received message parsed back with mailparser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { PDFDocument } from 'pdf-lib';
import {
  createMailer,
  MailDeliveryError,
  messageIdFor,
  redactSmtpUrl,
  renderMailForStorage,
  type Mailer,
  type OutgoingMail,
} from '../../src/delivery/email/mailer.js';
import {
  renderEmail,
  renderOwnerCopyBeforePurge,
  renderRequestCancelled,
  renderSignatureRequested,
  type OwnerCopyBeforePurgeInput,
  type RequestCancelledInput,
  type SignatureRequestedInput,
} from '../../src/delivery/email/templates/index.js';

const FROM = 'Countersign <noreply@countersign.test>';
const XSS = '<script>alert("x")</script>';
const ESCAPED_XSS = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
const MARCH_12 = Date.UTC(2025, 2, 12, 14, 5);

const requested: SignatureRequestedInput = {
  requestTitle: 'Lease for Flat 4B',
  tenantName: 'Acme Homes',
  ownerEmail: 'owner@acme.test',
  signerName: 'Jane Signer',
  signingUrl: 'https://sign.countersign.test/s/tok_123',
  expiresAt: MARCH_12,
  message: 'Please sign by Friday.\nThanks!',
};

const cancelled: RequestCancelledInput = {
  requestTitle: 'Lease for Flat 4B',
  tenantName: 'Acme Homes',
  signerName: 'Jane Signer',
  hasSigned: false,
  cancelledBy: 'owner@acme.test',
  messageToSigners: 'Clause II had an error; a new version follows.',
  reasonCode: 'document_superseded',
  cancelledAt: MARCH_12,
};

async function tinyPdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]).drawText('Partially signed', { x: 20, y: 100, size: 12 });
  return Buffer.from(await document.save());
}

function ownerCopy(pdf: Buffer): OwnerCopyBeforePurgeInput {
  return {
    requestTitle: 'Lease for Flat 4B',
    tenantName: 'Acme Homes',
    cancelledBy: 'owner@acme.test',
    cancelledAt: MARCH_12,
    signers: [
      { name: 'Jane Signer', email: 'jane@example.test', signedAt: Date.UTC(2025, 2, 11, 9, 30) },
      { name: 'Bob Later', email: 'bob@example.test', signedAt: null },
    ],
    document: { filename: 'lease-4b.pdf', content: pdf },
  };
}

describe('email templates', () => {
  test('signature_requested names the request, sender, signer, link, expiry and message in both parts', () => {
    const mail = renderSignatureRequested(requested);
    assert.equal(mail.subject, 'Please sign: Lease for Flat 4B');
    for (const part of [mail.text, mail.html]) {
      assert.match(part, /Jane Signer/);
      assert.match(part, /Acme Homes \(owner@acme\.test\)/);
      assert.match(part, /https:\/\/sign\.countersign\.test\/s\/tok_123/);
      assert.match(part, /12 March 2025, 14:05 UTC/);
      assert.match(part, /Please sign by Friday\./);
    }
    assert.match(mail.html, /<a href="https:\/\/sign\.countersign\.test\/s\/tok_123"/);
    assert.match(mail.html, /Please sign by Friday\.<br>\nThanks!/);

    const bare = renderSignatureRequested({ ...requested, ownerEmail: null, message: null });
    assert.match(bare.text, /^Acme Homes asks you to sign/m);
    assert.doesNotMatch(bare.text + bare.html, /Their message|owner@acme/);
  });

  test('user strings are escaped in the html part and kept as typed in the text part', () => {
    const mail = renderSignatureRequested({
      ...requested,
      requestTitle: XSS,
      signerName: XSS,
      message: XSS,
      tenantName: XSS,
    });
    assert.doesNotMatch(mail.html, /<script/i);
    assert.ok(mail.html.split(ESCAPED_XSS).length - 1 >= 4, 'title, signer, message and tenant are each escaped');
    assert.match(mail.text, /<script>alert\("x"\)<\/script>/);

    const cancel = renderRequestCancelled({ ...cancelled, requestTitle: XSS, cancelledBy: XSS, messageToSigners: XSS });
    const copy = renderOwnerCopyBeforePurge({
      ...ownerCopy(Buffer.alloc(1)),
      requestTitle: XSS,
      signers: [{ name: XSS, email: 'a@b.test', signedAt: 1 }],
    });
    for (const html of [cancel.html, copy.html]) {
      assert.doesNotMatch(html, /<script/i);
      assert.match(html, new RegExp(ESCAPED_XSS.replace(/[()]/g, '\\$&')));
    }
  });

  test('a signing link that is not http(s) is refused rather than put into an href', () => {
    assert.throws(
      () => renderSignatureRequested({ ...requested, signingUrl: 'javascript:alert(1)' }),
      /must be http\(s\)/,
    );
  });

  test('request_cancelled says who cancelled, when, why, the message, and that the link is dead', () => {
    const mail = renderRequestCancelled(cancelled);
    assert.equal(mail.subject, 'Cancelled: Lease for Flat 4B');
    for (const part of [mail.text, mail.html]) {
      assert.match(part, /cancelled by owner@acme\.test on .*12 March 2025, 14:05 UTC/);
      assert.match(part, /The signing link you received no longer works\./);
      assert.match(part, /Reason: Document superseded \(document_superseded\)/);
      assert.match(part, /Clause II had an error/);
      assert.match(part, /You do not need to do anything\./);
      assert.doesNotMatch(part, /your signature will not be/);
    }
  });

  test('request_cancelled tells a signer who already signed that the signature will not be used', () => {
    const mail = renderRequestCancelled({
      ...cancelled,
      hasSigned: true,
      cancelledBy: null,
      messageToSigners: null,
      reasonCode: 'other',
      reasonLabel: 'Deal fell through',
    });
    for (const part of [mail.text, mail.html]) {
      assert.match(part, /You had already signed it\. .*your signature will not be completed or used\./);
      assert.match(part, /no longer works/);
      assert.match(part, /cancelled by Acme Homes on/, 'nobody named: the tenant that sent it');
      assert.match(part, /Reason: Deal fell through \(other\)/);
      assert.doesNotMatch(part, /Message from/);
    }
  });

  test('owner_copy_before_purge attaches the PDF and lists who signed, who cancelled, and the deletion', async () => {
    const pdf = await tinyPdf();
    const mail = renderEmail({ template: 'owner_copy_before_purge', data: ownerCopy(pdf) });
    assert.deepEqual(mail.attachments, [{ filename: 'lease-4b.pdf', content: pdf, contentType: 'application/pdf' }]);
    for (const part of [mail.text, mail.html]) {
      assert.match(part, /cancelled by owner@acme\.test/);
      assert.match(part, /being deleted from Countersign/);
    }
    assert.match(mail.html, /<li>Jane Signer &lt;jane@example\.test&gt;, signed 11 March 2025, 09:30 UTC<\/li>/);
    assert.match(mail.text, /Signed:\n- Jane Signer[^\n]*\n\nNot signed:\n- Bob Later <bob@example\.test>\n/);
  });
});

interface ReceivedMail {
  readonly rcptTo: string[];
  readonly user: string | undefined;
  readonly parsed: ParsedMail;
}

async function startSmtpServer(options: Partial<SMTPServerOptions> = {}) {
  const inbox: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = /^refused-(\d{3})@/.exec(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: Number(refusal[1]) }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (parsed.subject?.includes('[refuse-data]')) {
            return callback(Object.assign(new Error('Message rejected as spam'), { responseCode: 554 }));
          }
          inbox.push({
            rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: session.user as string | undefined,
            parsed,
          });
          callback();
        })
        .catch(callback);
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, inbox, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  return [field ?? []].flat().flatMap((group) => group.value.map((entry) => entry.address ?? ''));
}

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: { name: 'Jane Signer', address: 'jane@example.test' },
    ...renderSignatureRequested(requested),
    idempotencyKey: 'obx_01J0000000000000000000000A',
    ...overrides,
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<MailDeliveryError> {
  const error = await promise.then(
    () => assert.fail('expected the send to fail'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof MailDeliveryError, `expected a MailDeliveryError, got ${String(error)}`);
  return error;
}

describe('mailer over a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mailer: Mailer;
  const last = () => smtp.inbox.at(-1) ?? assert.fail('nothing was received');

  before(async () => {
    smtp = await startSmtpServer();
    mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM }) ?? assert.fail('mailer expected');
  });
  after(async () => {
    mailer.close();
    await smtp.close();
  });

  test('each template arrives with subject, text and html, to exactly one recipient', async () => {
    const pdf = await tinyPdf();
    const sends = [
      {
        to: 'jane@example.test',
        rendered: renderEmail({ template: 'signature_requested', data: requested }),
        marker: /tok_123/,
      },
      {
        to: 'bob@example.test',
        rendered: renderEmail({ template: 'request_cancelled', data: cancelled }),
        marker: /no longer works/,
      },
      {
        to: 'owner@acme.test',
        rendered: renderEmail({ template: 'owner_copy_before_purge', data: ownerCopy(pdf) }),
        marker: /being deleted/,
      },
    ];
    for (const [index, { to, rendered, marker }] of sends.entries()) {
      const sent = await mailer.send({ to: { address: to }, ...rendered, idempotencyKey: `obx_each_${index}` });
      assert.deepEqual([sent.accepted, sent.rejected], [[to], []]);
      const { rcptTo, parsed } = last();
      assert.deepEqual(rcptTo, [to]);
      assert.deepEqual(addressesOf(parsed.to), [to]);
      assert.equal(parsed.cc, undefined);
      assert.equal(parsed.subject, rendered.subject);
      assert.match(parsed.text ?? '', marker);
      assert.match(String(parsed.html), marker);
      assert.equal(parsed.from?.value[0]?.address, 'noreply@countersign.test');
      assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
    }
  });

  test('the owner copy carries the PDF byte for byte', async () => {
    const pdf = await tinyPdf();
    await mailer.send({
      to: { address: 'owner@acme.test' },
      ...renderOwnerCopyBeforePurge(ownerCopy(pdf)),
      idempotencyKey: 'obx_pdf',
    });
    const [attachment, ...others] = last().parsed.attachments;
    assert.equal(others.length, 0);
    assert.equal(attachment?.filename, 'lease-4b.pdf');
    assert.equal(attachment?.contentType, 'application/pdf');
    assert.ok(attachment?.content.equals(pdf), 'attachment bytes differ from the PDF');
    assert.equal(attachment?.content.subarray(0, 5).toString('latin1'), '%PDF-');
  });

  test('two sends with the same idempotency key carry the same Message-ID; another key another', async () => {
    const first = await mailer.send(mail({ idempotencyKey: 'obx_retry' }));
    const firstReceived = last().parsed.messageId;
    const second = await mailer.send(mail({ idempotencyKey: 'obx_retry' }));
    const secondReceived = last().parsed.messageId;
    await mailer.send(mail({ idempotencyKey: 'obx_other' }));
    assert.equal(first.messageId, '<cs.obx_retry@countersign.test>');
    assert.equal(firstReceived, first.messageId);
    assert.equal(secondReceived, first.messageId);
    assert.equal(second.messageId, first.messageId);
    assert.equal(last().parsed.messageId, '<cs.obx_other@countersign.test>');
    assert.equal(renderMailForStorage(mail({ idempotencyKey: 'obx_retry' }), FROM).messageId, first.messageId);
  });

  test('any idempotency key becomes a valid, stable msg-id', async () => {
    const msgId = /^<[A-Za-z0-9=_-]+(\.[A-Za-z0-9=_-]+)*@countersign\.test>$/;
    const odd = 'outbox/42 ✓.<x>';
    const long = 'k'.repeat(300);
    assert.equal(messageIdFor(odd, FROM), '<cs.outbox=2F42=20=E2=9C=93=2E=3Cx=3E@countersign.test>');
    assert.match(messageIdFor(long, FROM), /^<cs\.sha256\.[0-9a-f]{64}@countersign\.test>$/);
    assert.notEqual(messageIdFor('a.b', FROM), messageIdFor('a=2Eb', FROM));
    await mailer.send(mail({ idempotencyKey: odd }));
    assert.equal(last().parsed.messageId, messageIdFor(odd, FROM));
    assert.match(last().parsed.messageId ?? '', msgId);
  });

  test('html escaping survives the wire; extra headers such as Reply-To are sent', async () => {
    const rendered = renderSignatureRequested({ ...requested, requestTitle: XSS });
    await mailer.send(mail({ ...rendered, headers: { 'Reply-To': 'owner@acme.test' } }));
    const { parsed } = last();
    assert.doesNotMatch(String(parsed.html), /<script/i);
    assert.match(String(parsed.html), /&lt;script&gt;/);
    assert.equal(parsed.subject, `Please sign: ${XSS}`);
    assert.deepEqual(addressesOf(parsed.replyTo), ['owner@acme.test']);
  });

  test('a second recipient or a reserved header is refused before anything is sent', async () => {
    const before = smtp.inbox.length;
    for (const bad of [
      mail({ to: { address: 'jane@example.test, eve@example.test' } }),
      mail({ to: { address: 'Eve <eve@example.test>' } }),
      mail({ headers: { Bcc: 'eve@example.test' } }),
      mail({ headers: { 'message-id': '<forged@x>' } }),
    ]) {
      const error = await rejectionOf(mailer.send(bad));
      assert.equal(error.code, 'invalid_message');
      assert.equal(error.isRetryable, false);
    }
    assert.equal(smtp.inbox.length, before);
  });

  test('a refused recipient rejects the promise; a 4xx refusal is retryable, a 5xx is not', async () => {
    const permanent = await rejectionOf(mailer.send(mail({ to: { address: 'refused-550@example.test' } })));
    assert.equal(permanent.code, 'recipient_refused');
    assert.equal(permanent.smtpResponseCode, 550);
    assert.equal(permanent.isRetryable, false);
    assert.match(permanent.message, /refused the recipient: .*550 Mailbox unavailable/);

    const transient = await rejectionOf(mailer.send(mail({ to: { address: 'refused-450@example.test' } })));
    assert.equal(transient.code, 'recipient_refused');
    assert.equal(transient.smtpResponseCode, 450);
    assert.equal(transient.isRetryable, true);
  });

  test('a message refused after DATA rejects as message_refused, not retryable for a 5xx', async () => {
    const error = await rejectionOf(mailer.send(mail({ subject: 'Hello [refuse-data]' })));
    assert.equal(error.code, 'message_refused');
    assert.equal(error.smtpResponseCode, 554);
    assert.equal(error.isRetryable, false);
  });

  test('an unreachable server rejects the promise as retryable, without the password in the message', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const offline = createMailer({ smtpUrl: `smtp://mailer:s3cret-pw@127.0.0.1:${port}`, from: FROM }) ?? assert.fail();
    const error = await rejectionOf(offline.send(mail()));
    offline.close();
    assert.equal(error.code, 'unreachable');
    assert.equal(error.isRetryable, true);
    assert.match(error.message, /ECONNREFUSED/);
    assert.doesNotMatch(error.message, /s3cret/);
  });
});

describe('mailer with SMTP authentication', () => {
  const password = 'p@ss:w/rd %';
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  before(async () => {
    smtp = await startSmtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === password) return callback(null, { user: 'mailer' });
        callback(new Error('Invalid username or password'));
      },
    });
  });
  after(() => smtp.close());

  test('credentials from the URL (percent-encoded) are used', async () => {
    const mailer =
      createMailer({ smtpUrl: `smtp://mailer:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`, from: FROM }) ??
      assert.fail();
    await mailer.send(mail());
    mailer.close();
    assert.equal(smtp.inbox.length, 1);
    assert.equal(smtp.inbox[0]?.user, 'mailer');
  });

  test('wrong credentials reject as auth_failed, without the password in the message', async () => {
    const mailer =
      createMailer({ smtpUrl: `smtp://mailer:wrong-pw-123@127.0.0.1:${smtp.port}`, from: FROM }) ?? assert.fail();
    const error = await rejectionOf(mailer.send(mail()));
    mailer.close();
    assert.equal(error.code, 'auth_failed');
    assert.equal(error.isRetryable, true);
    assert.equal(error.smtpResponseCode, 535);
    assert.doesNotMatch(error.message, /wrong-pw-123/);
  });
});

describe('mailer configuration and storage', () => {
  test('without an SMTP URL there is no mailer: the worker stores mails instead', () => {
    assert.equal(createMailer({ from: FROM }), undefined);
    assert.equal(createMailer({ from: FROM, smtpUrl: '' }), undefined);
  });

  test('a malformed configuration fails at start, without echoing credentials', () => {
    assert.throws(
      () => createMailer({ from: FROM, smtpUrl: 'http://user:hunter2@mail.test' }),
      (error: Error) => {
        assert.match(error.message, /smtp:\/\/ or smtps:\/\//);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
    assert.throws(
      () => createMailer({ from: 'not an address', smtpUrl: 'smtp://127.0.0.1:25' }),
      /one address with a domain/,
    );
  });

  test('redactSmtpUrl hides user, password and secret query values', () => {
    assert.equal(redactSmtpUrl('smtps://apikey:SG.abc%2Fdef@smtp.mail.test:465'), 'smtps://***:***@smtp.mail.test:465');
    assert.equal(
      redactSmtpUrl('smtp://127.0.0.1:2525?pool=true&tls.passphrase=xyz'),
      'smtp://127.0.0.1:2525?pool=true&tls.passphrase=***',
    );
    assert.equal(redactSmtpUrl('smtp://u:p@[broken'), '[unparseable SMTP URL]');
  });

  test('renderMailForStorage is JSON with attachment digests instead of bytes', async () => {
    const pdf = await tinyPdf();
    const rendered = renderOwnerCopyBeforePurge(ownerCopy(pdf));
    const stored = renderMailForStorage(
      { to: { address: 'owner@acme.test' }, ...rendered, idempotencyKey: 'obx_store' },
      FROM,
    );
    assert.deepEqual(JSON.parse(JSON.stringify(stored)), stored);
    assert.deepEqual(stored.to, { name: null, address: 'owner@acme.test' });
    assert.equal(stored.messageId, '<cs.obx_store@countersign.test>');
    assert.equal(stored.headers['Auto-Submitted'], 'auto-generated');
    assert.deepEqual(stored.attachments, [
      {
        filename: 'lease-4b.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    ]);
    const json = JSON.stringify(stored);
    assert.ok(!json.includes('"Buffer"') && !json.includes(pdf.toString('base64').slice(0, 40)), 'no PDF bytes inside');
  });
});
