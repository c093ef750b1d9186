/**
 * `owner_copy_before_purge`: sends the request owner the partially signed document before its
 * bytes are deleted per the cancellation (Taktikal: "a copy is emailed to the process owner
 * before the document is deleted"). The worker must purge only after this mail went out.
 */
import { html, layoutHtml } from './markup.js';
import { describeActor, footerText, formatUtc, oneLine, type Instant } from './format.js';
import type { RenderedEmail } from './rendered-email.js';

export interface OwnerCopySigner {
  readonly name: string;
  readonly email: string;
  /** When they signed; null for a signer who had not. */
  readonly signedAt: Instant | null;
}

export interface OwnerCopyBeforePurgeInput {
  readonly requestTitle: string;
  readonly tenantName: string;
  /** The person who cancelled (core/person-named.ts); absent means the tenant (`tenantName`). */
  readonly cancelledBy?: string | null;
  readonly cancelledAt: Instant;
  /** Every signer of the request, signed or not. */
  readonly signers: readonly OwnerCopySigner[];
  /** The partially signed PDF as it is at the moment of cancellation. */
  readonly document: { readonly filename: string; readonly content: Buffer };
}

function signerLine(signer: OwnerCopySigner): string {
  const who = `${oneLine(signer.name)} <${oneLine(signer.email)}>`;
  return signer.signedAt === null ? who : `${who}, signed ${formatUtc(signer.signedAt)}`;
}

export function renderOwnerCopyBeforePurge(input: OwnerCopyBeforePurgeInput): RenderedEmail {
  const title = oneLine(input.requestTitle);
  const tenant = oneLine(input.tenantName);
  const actor = oneLine(describeActor(input.cancelledBy, input.tenantName));
  const cancelledAt = formatUtc(input.cancelledAt);
  const filename = oneLine(input.document.filename);
  const signed = input.signers.filter((signer) => signer.signedAt !== null).map(signerLine);
  const unsigned = input.signers.filter((signer) => signer.signedAt === null).map(signerLine);
  const subject = `Your copy of "${title}" before it is deleted`;
  const deletion =
    'As part of the cancellation, the document is being deleted from Countersign and cannot be retrieved from it afterwards. Keep the attached copy if you need it.';

  const text = [
    `The signature request "${title}" was cancelled by ${actor} on ${cancelledAt}.`,
    '',
    `Some signers had already signed, so the partially signed document is attached (${filename}).`,
    deletion,
    '',
    'Signed:',
    ...signed.map((line) => `- ${line}`),
    ...(unsigned.length > 0 ? ['', 'Not signed:', ...unsigned.map((line) => `- ${line}`)] : []),
    '',
    '--',
    footerText(tenant),
    '',
  ].join('\n');

  const body = html`<p>The signature request <strong>${title}</strong> was cancelled by ${actor} on ${cancelledAt}.</p>
<p>Some signers had already signed, so the partially signed document is attached (<strong>${filename}</strong>).</p>
<p>${deletion}</p>
<p>Signed:</p>
<ul>${signed.map((line) => html`<li>${line}</li>`)}</ul>
${unsigned.length > 0 ? html`<p>Not signed:</p><ul>${unsigned.map((line) => html`<li>${line}</li>`)}</ul>` : ''}`;

  return {
    subject,
    text,
    html: layoutHtml(subject, body, footerText(tenant)),
    attachments: [{ filename, content: input.document.content, contentType: 'application/pdf' }],
  };
}
