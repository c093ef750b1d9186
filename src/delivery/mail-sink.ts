/**
 * Where a rendered mail goes: over SMTP when a server is configured, otherwise into the mail
 * archive (GET /v1/mails), so the embedded default works with nothing else installed. Either way
 * the outbox row's idempotency key fixes the Message-ID, and the archive keeps one copy per key.
 */
import type { Clock, IdGenerator } from '../core/ports.js';
import { MailDeliveryError, renderMailForStorage, type Mailer, type OutgoingMail } from './email/mailer.js';
import type { MailArchive } from './ports.js';

export interface MailContext {
  readonly tenantId: string;
  readonly outboxId: string;
  readonly template: string;
  readonly requestId: string | null;
}

export interface MailSink {
  /** Sends or archives; a failure is a MailDeliveryError that says whether a retry can help. */
  deliver(
    mail: OutgoingMail,
    context: MailContext,
  ): Promise<{ readonly messageId: string; readonly via: 'smtp' | 'archive' }>;
  close(): void;
}

export function createMailSink(options: {
  readonly mailer: Mailer | undefined;
  readonly archive: MailArchive;
  readonly from: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}): MailSink {
  const { mailer, archive, from } = options;
  return {
    async deliver(mail, context) {
      if (mailer) {
        const sent = await mailer.send(mail);
        if (sent.accepted.length === 0) {
          throw new MailDeliveryError(
            'recipient_refused',
            `The SMTP server accepted no recipient (rejected: ${sent.rejected.join(', ')}).`,
            false,
          );
        }
        return { messageId: sent.messageId, via: 'smtp' };
      }
      const stored = renderMailForStorage(mail, from);
      await archive.keep({
        ...stored,
        id: options.ids.next('mail'),
        tenantId: context.tenantId,
        idempotencyKey: mail.idempotencyKey,
        outboxId: context.outboxId,
        template: context.template,
        requestId: context.requestId,
        createdAt: options.clock.now(),
      });
      return { messageId: stored.messageId, via: 'archive' };
    },
    close() {
      mailer?.close();
    },
  };
}
