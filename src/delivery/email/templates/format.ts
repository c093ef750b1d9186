/**
 * Wording helpers the templates share. Everything here is deterministic: dates are written in UTC
 * with English month names (no locale or time zone of the machine leaks into a mail), so a retried
 * render of the same outbox row produces the same text.
 */

/** A moment as the domain stores it (epoch milliseconds) or as a Date. */
export type Instant = number | Date;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function toDate(instant: Instant): Date {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Invalid date for an email: ${String(instant)}`);
  return date;
}

/** "12 March 2025, 14:05 UTC". */
export function formatUtc(instant: Instant): string {
  const date = toDate(instant);
  const hours = String(date.getUTCHours()).padStart(2, '0');
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${hours}:${minutes} UTC`;
}

/** The ISO form, for `<time datetime>`. */
export function isoUtc(instant: Instant): string {
  return toDate(instant).toISOString();
}

/** Who cancelled, as people read it: the person named (an email, a name), else the tenant that sent the request. */
export function describeActor(person: string | null | undefined, tenantName: string): string {
  const trimmed = person?.trim();
  return trimmed ? trimmed : tenantName;
}

/**
 * A reason code as "Label (code)". Without a label from the caller the code is spelled out
 * ("document_superseded" -> "Document superseded"), so a new code never needs a template change.
 */
export function describeReason(code: string, label?: string | null): string {
  const spelled = code.replace(/[_-]+/g, ' ').trim();
  const human = label?.trim() || spelled.charAt(0).toUpperCase() + spelled.slice(1);
  return `${human} (${code})`;
}

/** Collapses line breaks and runs of spaces, for a subject line or a one-line mention. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Only http(s) links go into an email: escaping does not stop a `javascript:` href. */
export function assertWebUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('The signing link is not a valid URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`The signing link must be http(s), not ${parsed.protocol}`);
  }
  return parsed.href;
}

/** The footer line every email carries. */
export function footerText(tenantName: string): string {
  return `This is an automated message sent by Countersign on behalf of ${oneLine(tenantName)}.`;
}
