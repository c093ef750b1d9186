/**
 * Sends one rendered email to one recipient over SMTP (nodemailer), or describes it as a JSON
 * record for the database when no SMTP server is configured. The outbox worker calls this once per
 * outbox row; a rejected promise is a MailDeliveryError that says whether a retry can help.
 *
 * Retries are expected: the Message-ID is derived from the outbox row's idempotency key and the
 * sender's domain, so a second attempt of the same row carries the same Message-ID and receiving
 * systems can drop the duplicate.
 */
import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import nodemailer from 'nodemailer';
import type { NodemailerError } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';

export interface MailerConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; query parameters become nodemailer options. */
  readonly smtpUrl?: string;
  /** The From header, `noreply@example.com` or `Countersign <noreply@example.com>`. */
  readonly from: string;
}

export interface MailAddress {
  readonly name?: string;
  readonly address: string;
}

export interface MailAttachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: string;
}

export interface OutgoingMail {
  /** Exactly one recipient: one outbox row, one person, one message. */
  readonly to: MailAddress;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly MailAttachment[];
  /** Extra headers such as Reply-To; the headers this module owns (see RESERVED_HEADERS) are refused. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The outbox row's key; the same key always yields the same Message-ID. */
  readonly idempotencyKey: string;
}

export interface SentMail {
  readonly messageId: string;
  readonly accepted: string[];
  readonly rejected: string[];
}

export interface Mailer {
  send(message: OutgoingMail): Promise<SentMail>;
  /** Releases the transport; for shutdown and tests. */
  close(): void;
}

/** The mail as it would have been sent, for the database; bytes of attachments are summarised. */
export interface StoredMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: { readonly name: string | null; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Record<string, string>;
  readonly attachments: { filename: string; contentType: string; size: number; sha256: string }[];
}

/** Why a send failed. Every failure of `send` is a MailDeliveryError with one of these codes. */
export const MAIL_DELIVERY_ERROR_CODES = {
  invalid_message: 'The message cannot be sent as given (recipient address, reserved header); retrying cannot help.',
  unreachable: 'The SMTP server could not be reached or dropped the connection; retry later.',
  auth_failed: 'The SMTP server refused the configured credentials; retry once the configuration is fixed.',
  recipient_refused: 'The SMTP server refused the recipient; retryable only for a 4xx reply.',
  message_refused: 'The SMTP server refused the message; retryable only for a 4xx reply.',
  unknown: 'Sending failed for another reason; retry later.',
} as const;
export type MailDeliveryErrorCode = keyof typeof MAIL_DELIVERY_ERROR_CODES;

export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    readonly code: MailDeliveryErrorCode,
    message: string,
    /** Whether the same message may go through on a later attempt. */
    readonly isRetryable: boolean,
    /** The SMTP reply code, when the server gave one. */
    readonly smtpResponseCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Headers this module sets itself; a caller may not override them. */
const RESERVED_HEADERS = new Set([
  'message-id',
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'auto-submitted',
  'return-path',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** One addr-spec and nothing else: no second address, display name, comment or whitespace. */
const SINGLE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/u;

/** Nodemailer errors that mean the connection, not the message, failed. */
const CONNECTION_ERROR_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);

/**
 * The SMTP URL with its user, password and secret-looking query values replaced by `***`, for
 * logs and error messages. An unparseable URL is not echoed at all: it may hold a password.
 */
export function redactSmtpUrl(smtpUrl: string): string {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return '[unparseable SMTP URL]';
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|token|key|auth/i.test(key)) url.searchParams.set(key, '***');
  }
  return url.href.replaceAll('%2A', '*');
}

function senderOf(from: string): { address: string; domain: string } {
  const parsed = addressparser(from, { flatten: true });
  const address = parsed.length === 1 ? parsed[0]?.address : undefined;
  const domain =
    address && SINGLE_ADDRESS.test(address) ? domainToASCII(address.slice(address.lastIndexOf('@') + 1)) : '';
  if (!address || !domain) throw new Error(`The email sender must be one address with a domain, got: ${from}`);
  return { address, domain: domain.toLowerCase() };
}

/**
 * `<cs.{key}@{sender domain}>`. Characters outside [A-Za-z0-9_-] are written as =XX (UTF-8 hex)
 * so the result is a valid msg-id and still readable for the usual ids; a key too long for a
 * header is replaced by its SHA-256 (`cs.sha256.{hex}`, which the first form cannot produce: it
 * has no dot).
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const { domain } = senderOf(from);
  const encoded = [...Buffer.from(idempotencyKey, 'utf8')]
    .map((byte) => {
      const character = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(character) ? character : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  const local =
    encoded.length > 0 && encoded.length <= 128
      ? `cs.${encoded}`
      : `cs.sha256.${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex')}`;
  return `<${local}@${domain}>`;
}

/** Checks what the caller controls and returns the header set the message will carry. */
function validatedHeaders(message: OutgoingMail): Record<string, string> {
  if (!SINGLE_ADDRESS.test(message.to.address)) {
    throw new MailDeliveryError(
      'invalid_message',
      `The recipient must be exactly one plain address, got: ${message.to.address}`,
      false,
    );
  }
  if (message.idempotencyKey.length === 0) {
    throw new MailDeliveryError('invalid_message', 'An outgoing mail needs an idempotency key.', false);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (RESERVED_HEADERS.has(name.toLowerCase()) || !/^[\x21-\x39\x3B-\x7E]+$/.test(name)) {
      throw new MailDeliveryError(
        'invalid_message',
        `The header ${JSON.stringify(name)} cannot be set by a caller.`,
        false,
      );
    }
    headers[name] = value;
  }
  // RFC 3834: marks the mail as machine-sent, so autoresponders (vacation replies) stay quiet.
  headers['Auto-Submitted'] = 'auto-generated';
  return headers;
}

/** The JSON record of a mail, for when no SMTP server is configured. Pure; no bytes inside. */
export function renderMailForStorage(message: OutgoingMail, from: string): StoredMail {
  const headers = validatedHeaders(message);
  return {
    messageId: messageIdFor(message.idempotencyKey, from),
    from,
    to: { name: message.to.name ?? null, address: message.to.address },
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers,
    attachments: (message.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.content.length,
      sha256: createHash('sha256').update(attachment.content).digest('hex'),
    })),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Sorts a nodemailer failure into the closed code list, keeping it as the cause. */
function toDeliveryError(error: unknown, password: string): MailDeliveryError {
  if (error instanceof MailDeliveryError) return error;
  const failure = (error ?? {}) as NodemailerError;
  // Nodemailer does not put credentials into messages; this keeps it that way if that changes.
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const detail = password ? message.replaceAll(password, '***') : message;
  // Set only when the server replied: false for 4xx, true for 5xx (503 excepted).
  const canRetryReply = failure.permanent !== true;
  const code = failure.code ?? '';
  const classify = (kind: MailDeliveryErrorCode, summary: string, isRetryable: boolean) =>
    new MailDeliveryError(kind, `${summary}: ${detail}`, isRetryable, failure.responseCode, { cause: error });
  if (code === 'EAUTH' || code === 'ENOAUTH') return classify('auth_failed', 'SMTP authentication failed', true);
  if (CONNECTION_ERROR_CODES.has(code)) return classify('unreachable', 'SMTP server unreachable', true);
  if (code === 'EENVELOPE' && failure.command === 'RCPT TO') {
    return classify('recipient_refused', 'SMTP server refused the recipient', canRetryReply);
  }
  if (code === 'EMESSAGE' || code === 'EENVELOPE') {
    return classify('message_refused', 'SMTP server refused the message', canRetryReply);
  }
  return classify('unknown', 'Sending the email failed', canRetryReply);
}

/**
 * Builds the SMTP mailer, or returns undefined when no SMTP URL is configured: the worker then
 * stores mails with renderMailForStorage instead. Throws at start on a malformed configuration.
 */
export function createMailer(config: MailerConfig): Mailer | undefined {
  const sender = senderOf(config.from);
  if (config.smtpUrl === undefined || config.smtpUrl === '') return undefined;
  let url: URL;
  try {
    url = new URL(config.smtpUrl);
  } catch {
    throw new Error(`The SMTP URL is not a valid URL: ${redactSmtpUrl(config.smtpUrl)}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`The SMTP URL must start with smtp:// or smtps://, got ${redactSmtpUrl(config.smtpUrl)}`);
  }
  const password = safeDecode(url.password);

  // Nodemailer's defaults wait up to 2 minutes to connect and 10 minutes on a silent socket;
  // a worker holding an outbox lease should give up sooner and retry. Connections are pooled:
  // one connection per mail managed ~45 mails/s to a local server, a pool of 4 ~200/s.
  // The URL's query wins (`?pool=false`).
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: 4,
    maxMessages: 100,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    maxRecipients: 1,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });

  return {
    async send(message) {
      try {
        const headers = validatedHeaders(message);
        const info = await transport.sendMail({
          from: config.from,
          to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
          // The envelope is explicit so no header can ever add a second recipient.
          envelope: { from: sender.address, to: [message.to.address] },
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers,
          messageId: messageIdFor(message.idempotencyKey, config.from),
          attachments: (message.attachments ?? []).map((attachment) => ({
            filename: attachment.filename,
            content: attachment.content,
            contentType: attachment.contentType,
          })),
        });
        return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
      } catch (error) {
        throw toDeliveryError(error, password);
      }
    },
    close() {
      transport.close();
    },
  };
}
