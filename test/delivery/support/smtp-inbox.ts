/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that parses every message with mailparser.
 * `hold()` keeps later messages unanswered after they were received (the sender cannot tell
 * whether they arrived, as when a worker dies mid-delivery); `release()` answers them.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: string[];
  readonly messageId: string;
  readonly subject: string;
  readonly parsed: ParsedMail;
}

export interface SmtpInbox {
  readonly port: number;
  readonly url: string;
  readonly mails: ReceivedMail[];
  /** Recipients refused with a permanent 550 (while listed). */
  readonly refused: Set<string>;
  /** Leaves every message received from now on unanswered. */
  hold(): void;
  /** Starts holding once a received message makes `condition` true. */
  holdWhen(condition: (mails: readonly ReceivedMail[]) => boolean): void;
  /** How many received messages wait for an answer. */
  heldCount(): number;
  release(): void;
  close(): Promise<void>;
}

export function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  return [field ?? []].flat().flatMap((group) => group.value.map((entry) => entry.address ?? ''));
}

export async function startSmtpInbox(port = 0): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const refused = new Set<string>();
  let held: (() => void)[] | undefined;
  let holdCondition: ((mails: readonly ReceivedMail[]) => boolean) | undefined;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    closeTimeout: 500,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address)) return callback();
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: addressesOf(parsed.to),
            messageId: parsed.messageId ?? '',
            subject: parsed.subject ?? '',
            parsed,
          });
          if (!held && holdCondition?.(mails)) held = [];
          if (held) held.push(() => callback());
          else callback();
        })
        .catch(callback);
    },
  });
  const release = () => {
    const waiting = held ?? [];
    held = undefined;
    holdCondition = undefined;
    for (const answer of waiting) answer();
  };
  // A sender killed mid-conversation resets the socket; that is expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    mails,
    refused,
    hold() {
      held ??= [];
    },
    holdWhen(condition) {
      holdCondition = condition;
    },
    heldCount() {
      return held?.length ?? 0;
    },
    release,
    close() {
      release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `condition` until it holds or the deadline passes (then throws with `what`). */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
