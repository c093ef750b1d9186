/** Sends one mail for a handler and turns a permanent failure into a dead letter. */
import { MailDeliveryError, type OutgoingMail } from '../email/mailer.js';
import type { MailContext, MailSink } from '../mail-sink.js';
import type { HandlerOutcome } from '../outbox-handler.js';

/**
 * Undefined when the mail was accepted (or archived); a dead outcome when retrying cannot help
 * (invalid address, 5xx refusal). A retryable failure is thrown: the worker retries the row
 * with backoff.
 */
export async function deliverMail(
  sink: MailSink,
  mail: OutgoingMail,
  context: MailContext,
): Promise<HandlerOutcome | undefined> {
  try {
    await sink.deliver(mail, context);
    return undefined;
  } catch (error) {
    if (error instanceof MailDeliveryError && !error.isRetryable)
      return { kind: 'dead', error: `${error.code}: ${error.message}` };
    throw error;
  }
}
