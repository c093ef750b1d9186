/**
 * Secrets out of log text. Two layers: the request serializer logs URLs without the parts that
 * carry secrets (structurally: route parameters and query parameters named like credentials), and
 * every finished log line is scrubbed of anything SHAPED like a secret (JWTs, our key formats,
 * signing-link tokens, Authorization values, credentials in URLs), wherever it appears: an error
 * message, a receiver's redirect Location, an SMTP URL in a driver's error. Scrubbing is by shape
 * because a log line can quote text that no serializer knows about.
 */

export const REDACTED = '[redacted]';

/**
 * Query and route parameter names whose values are credentials. Generous on purpose: losing a
 * harmless value from a log line (Auco's document `code`, Taktikal's `ProcessKey`) costs nothing.
 */
const CREDENTIAL_NAME =
  /key|token|secret|passw|pwd|code|signature|^sig$|auth|credential|session|jwt|assertion|otp|ticket|nonce/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** Paths that carry a secret in a segment: signing links, Singpass signed-document links. */
const SECRET_PATH_SEGMENT = /(\/v1\/signing\/|\/signed-documents\/)[^/?#\s"'\\<>]+/g;

/** `name=value` in a query string (or a form body quoted in a message); values of credential names go. */
const QUERY_PARAMETER = /([?&;])([^=&#?\s"'\\<>]{1,100})=([^&#\s"'\\<>]*)/g;

/** [pattern, replacement] pairs for secrets recognisable by their shape alone. */
const SHAPES: readonly (readonly [RegExp, string])[] = [
  // JWS/JWT (and the first three parts of a JWE): the header is base64url JSON, so it starts with eyJ.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted jwt]'],
  // Native API keys csk_<lookup>.<secret>, Lumin API keys and access tokens lmk_/lmt_<lookup>.<secret>.
  [/\b(csk|lmk|lmt)_[A-Za-z0-9_-]{8,32}\.[A-Za-z0-9_-]{16,64}/g, `$1_${REDACTED}`],
  // Auco keys prk_/puk_<64 hex>.
  [/\b(prk|puk)_[0-9a-fA-F]{64}\b/g, `$1_${REDACTED}`],
  // Taktikal API keys api-<28 hex>.
  [/\bapi-[0-9a-fA-F]{28}\b/g, `api-${REDACTED}`],
  // KAiZEN app tokens: three lookup groups, five secret groups, a version letter.
  [/\b[0-9A-Za-z]{7}-[0-9A-Za-z]{6}-[0-9A-Za-z]{6}(?:-[0-9A-Za-z]{6}){5}-[A-Za-z]\b/g, `[redacted app token]`],
  // Standard Webhooks secrets.
  [/\bwhsec_[A-Za-z0-9+/=]{8,}/g, `whsec_${REDACTED}`],
  // Signing-link tokens <signer id>.<MAC> and Singpass signed-document tokens <id>.<exp>.<MAC>: the MAC goes.
  [/\b(sgr_[0-9a-z]{26}|signv3-[0-9a-f-]{36}\.\d{1,12})\.[A-Za-z0-9_-]{43}\b/g, `$1.${REDACTED}`],
  // Authorization values quoted in text.
  [/\b(Bearer|Basic|API-key)(\s+)[A-Za-z0-9+/=._~-]{8,}/gi, `$1$2${REDACTED}`],
  // user:password@ in any URL (an SMTP URL in an error message).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@"'\\<>]*):[^@/\s"'\\<>]+@/gi, `$1:${REDACTED}@`],
];

/** The query string with the value of every credential-named parameter replaced. */
function redactQueryValues(text: string): string {
  return text.replace(QUERY_PARAMETER, (whole, separator: string, name: string) =>
    isCredentialName(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : whole,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Something in the text that any of the patterns above could start with. Most log lines have none
 * (a request completed, a worker started), and one test is 5-10 times cheaper than every replace.
 */
const MAYBE_SECRET =
  /eyJ|(?:csk|lmk|lmt|prk|puk)_|api-|whsec_|sgr_|signv3-|bearer|basic|api-key|:\/\/[^/\s"]*@|[?&;][^=&#?\s"'\\<>]{1,100}=|\/v1\/signing\/|\/signed-documents\/|-[0-9a-z]{6}-[0-9a-z]{6}-/i;

/** Everything shaped like a secret in `text`, replaced; the rest left as it was. */
export function redactSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let result = redactQueryValues(text.replace(SECRET_PATH_SEGMENT, `$1${REDACTED}`));
  for (const [pattern, replacement] of SHAPES) result = result.replace(pattern, replacement);
  return result;
}

/**
 * A request URL as it may be logged: the path with each route parameter named like a credential
 * (`/v1/signing/:token`) replaced, else the known secret-bearing segments; the query with the
 * values of credential-named parameters replaced; then the shape scrub.
 */
export function redactUrl(url: string, route?: { pattern: string; params: Readonly<Record<string, unknown>> }): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const loggedPath =
    route && hasCredentialParam(route.pattern)
      ? route.pattern.replace(/:([A-Za-z0-9_]+)/g, (_whole, name: string) =>
          isCredentialName(name) ? REDACTED : String(route.params[name] ?? `:${name}`),
        )
      : path;
  return redactSecrets(`${loggedPath}${redactQueryValues(query)}`);
}

function hasCredentialParam(pattern: string): boolean {
  return [...pattern.matchAll(/:([A-Za-z0-9_]+)/g)].some((match) => isCredentialName(match[1]!));
}
