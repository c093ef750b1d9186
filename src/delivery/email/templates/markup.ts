/**
 * The little HTML toolkit the email templates share: an `html` tagged template that escapes every
 * interpolated value unless it is already markup, and the page layout all three emails use.
 * Escaping by default means a template cannot forget it: a title such as `<script>` arrives as text.
 */

/** Markup that is already safe to insert: built by `html`, never from a caller's string. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function renderValue(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${title}</p>\`` escapes `title`; nested `html` fragments pass through. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += renderValue(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}

/** A caller's multi-line text (a message to signers) as escaped HTML with its line breaks kept. */
export function multilineHtml(text: string): SafeHtml {
  return new SafeHtml(escapeHtml(text.replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>\n'));
}

/** A quoted block for a message someone wrote, visibly set apart from our own words. */
export function quoteHtml(text: string): SafeHtml {
  return html`<blockquote style="margin:16px 0;padding:8px 16px;border-left:4px solid #d0d7de;color:#24292f">${multilineHtml(text)}</blockquote>`;
}

/** A call-to-action link styled as a button, followed by the bare link for clients that drop styles. */
export function buttonHtml(label: string, url: string): SafeHtml {
  return html`<p style="margin:24px 0"><a href="${url}" style="background:#1f6feb;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${label}</a></p>
<p style="font-size:13px;color:#57606a">If the button does not work, copy this link into your browser:<br><a href="${url}">${url}</a></p>`;
}

/** The full HTML document around a template's body. */
export function layoutHtml(subject: string, body: SafeHtml, footer: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject}</title>
</head>
<body style="margin:0;padding:24px;background:#f6f8fa;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#24292f">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:24px">
${body}
</div>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#57606a">${footer}</p>
</body>
</html>
`.value;
}
