/** `signature_requested`: asks one signer to sign, with their personal link. */
import { buttonHtml, html, layoutHtml, quoteHtml } from './markup.js';
import { assertWebUrl, footerText, formatUtc, isoUtc, oneLine, type Instant } from './format.js';
import type { RenderedEmail } from './rendered-email.js';

export interface SignatureRequestedInput {
  readonly requestTitle: string;
  /** The tenant the request is sent on behalf of. */
  readonly tenantName: string;
  /** The person who sent it, shown next to the tenant when known. */
  readonly ownerEmail?: string | null;
  readonly signerName: string;
  /** The signer's personal link; must be http(s). */
  readonly signingUrl: string;
  readonly expiresAt: Instant;
  /** The sender's note to the signers. */
  readonly message?: string | null;
}

export function renderSignatureRequested(input: SignatureRequestedInput): RenderedEmail {
  const title = oneLine(input.requestTitle);
  const tenant = oneLine(input.tenantName);
  const sender = input.ownerEmail ? `${tenant} (${oneLine(input.ownerEmail)})` : tenant;
  const signingUrl = assertWebUrl(input.signingUrl);
  const expires = formatUtc(input.expiresAt);
  const subject = `Please sign: ${title}`;

  const text = [
    `Hello ${oneLine(input.signerName)},`,
    '',
    `${sender} asks you to sign "${title}".`,
    ...(input.message ? ['', 'Their message:', '', input.message] : []),
    '',
    'Review and sign the document here:',
    signingUrl,
    '',
    `This link is personal to you and expires on ${expires}.`,
    '',
    '--',
    footerText(tenant),
    '',
  ].join('\n');

  const body = html`<p>Hello ${oneLine(input.signerName)},</p>
<p><strong>${sender}</strong> asks you to sign <strong>${title}</strong>.</p>
${input.message ? html`<p>Their message:</p>${quoteHtml(input.message)}` : ''}
${buttonHtml('Review and sign', signingUrl)}
<p>This link is personal to you and expires on <time datetime="${isoUtc(input.expiresAt)}">${expires}</time>.</p>`;

  return { subject, text, html: layoutHtml(subject, body, footerText(tenant)) };
}
