/**
 * `request_cancelled`: tells one signer that a request was taken back (Taktikal: every signee is
 * emailed; Auco: the cancel message goes to signers who were notified or already signed).
 */
import { html, layoutHtml, quoteHtml } from './markup.js';
import { describeActor, describeReason, footerText, formatUtc, isoUtc, oneLine, type Instant } from './format.js';
import type { RenderedEmail } from './rendered-email.js';

export interface RequestCancelledInput {
  readonly requestTitle: string;
  readonly tenantName: string;
  readonly signerName: string;
  /** Whether this signer had already signed: their signature will now never be used. */
  readonly hasSigned: boolean;
  /** The person who cancelled (core/person-named.ts); absent means the tenant (`tenantName`). */
  readonly cancelledBy?: string | null;
  /** The message to signers given with the cancellation. */
  readonly messageToSigners?: string | null;
  readonly reasonCode?: string | null;
  /** A human label for the reason code; spelled out from the code when absent. */
  readonly reasonLabel?: string | null;
  readonly cancelledAt: Instant;
}

/** The sentence that differs between a signer who had signed and one who had not. */
function consequence(hasSigned: boolean): string {
  return hasSigned
    ? 'You had already signed it. Because the request was cancelled before it was completed, your signature will not be completed or used.'
    : 'You do not need to do anything.';
}

export function renderRequestCancelled(input: RequestCancelledInput): RenderedEmail {
  const title = oneLine(input.requestTitle);
  const tenant = oneLine(input.tenantName);
  const actor = oneLine(describeActor(input.cancelledBy, input.tenantName));
  const cancelledAt = formatUtc(input.cancelledAt);
  const reason = input.reasonCode ? describeReason(input.reasonCode, input.reasonLabel) : null;
  const subject = `Cancelled: ${title}`;
  const linkSentence = 'The signing link you received no longer works.';

  const text = [
    `Hello ${oneLine(input.signerName)},`,
    '',
    `The signature request "${title}" from ${tenant} was cancelled by ${actor} on ${cancelledAt}.`,
    '',
    `${linkSentence} ${consequence(input.hasSigned)}`,
    ...(reason ? ['', `Reason: ${reason}`] : []),
    ...(input.messageToSigners ? ['', `Message from ${actor}:`, '', input.messageToSigners] : []),
    '',
    '--',
    footerText(tenant),
    '',
  ].join('\n');

  const body = html`<p>Hello ${oneLine(input.signerName)},</p>
<p>The signature request <strong>${title}</strong> from ${tenant} was cancelled by ${actor} on <time datetime="${isoUtc(input.cancelledAt)}">${cancelledAt}</time>.</p>
<p><strong>${linkSentence}</strong> ${consequence(input.hasSigned)}</p>
${reason ? html`<p>Reason: ${reason}</p>` : ''}
${input.messageToSigners ? html`<p>Message from ${actor}:</p>${quoteHtml(input.messageToSigners)}` : ''}`;

  return { subject, text, html: layoutHtml(subject, body, footerText(tenant)) };
}
