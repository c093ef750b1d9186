/**
 * The email templates, one file each, and `renderEmail` for the outbox worker: an outbox row names
 * a template and carries its data; this turns it into the subject, both body parts and attachments.
 */
import { renderOwnerCopyBeforePurge, type OwnerCopyBeforePurgeInput } from './owner-copy-before-purge.js';
import { renderRequestCancelled, type RequestCancelledInput } from './request-cancelled.js';
import { renderSignatureRequested, type SignatureRequestedInput } from './signature-requested.js';
import type { RenderedEmail } from './rendered-email.js';

export type { EmailAttachment, RenderedEmail } from './rendered-email.js';
export type { Instant } from './format.js';
export type { OwnerCopyBeforePurgeInput, OwnerCopySigner } from './owner-copy-before-purge.js';
export type { RequestCancelledInput } from './request-cancelled.js';
export type { SignatureRequestedInput } from './signature-requested.js';
export { renderOwnerCopyBeforePurge, renderRequestCancelled, renderSignatureRequested };
export { escapeHtml } from './markup.js';

export const EMAIL_TEMPLATES = ['signature_requested', 'request_cancelled', 'owner_copy_before_purge'] as const;
export type EmailTemplateName = (typeof EMAIL_TEMPLATES)[number];

export type EmailToRender =
  | { readonly template: 'signature_requested'; readonly data: SignatureRequestedInput }
  | { readonly template: 'request_cancelled'; readonly data: RequestCancelledInput }
  | { readonly template: 'owner_copy_before_purge'; readonly data: OwnerCopyBeforePurgeInput };

export function renderEmail(email: EmailToRender): RenderedEmail {
  switch (email.template) {
    case 'signature_requested':
      return renderSignatureRequested(email.data);
    case 'request_cancelled':
      return renderRequestCancelled(email.data);
    case 'owner_copy_before_purge':
      return renderOwnerCopyBeforePurge(email.data);
  }
}
