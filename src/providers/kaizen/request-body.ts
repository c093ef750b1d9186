/**
 * Reading KAiZEN request bodies. The documents mix casing (camelCase `signRequestId`, PascalCase
 * `Order`) and the service is .NET, whose JSON binder matches member names case-insensitively;
 * so keys are matched case-insensitively here too. Members we do not know are ignored, as .NET
 * does: the full field list of InitiateSignRequest is not published, and refusing what a real
 * client sends would break it.
 */
import { z } from 'zod';
import { CoreError } from '../../core/errors.js';

type Issue = { path: string; message: string };

/** Deeper than any KAiZEN body; bounds the recursion below (a hostile body nested 10,000 deep overflowed the stack). */
const MAX_DEPTH = 16;

/** A copy of `value` with every object key lower-cased; two keys that differ only in case are an error. */
function lowerCaseKeys(value: unknown, path: string, issues: Issue[], depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH)
    throw new CoreError('validation_failed', `The body is nested deeper than ${MAX_DEPTH} levels.`, {
      issues: [{ path, message: 'too deep' }],
    });
  if (Array.isArray(value))
    return value.map((item, index) => lowerCaseKeys(item, `${path}[${index}]`, issues, depth + 1));
  const seen = new Set<string>();
  // Object.fromEntries defines own properties, so a "__proto__" key stays an inert key.
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => {
      const lower = key.toLowerCase();
      if (seen.has(lower)) issues.push({ path: `${path}.${key}`, message: 'given twice (keys are case-insensitive)' });
      seen.add(lower);
      return [lower, lowerCaseKeys(entry, `${path}.${key}`, issues, depth + 1)];
    }),
  );
}

/** The JSON body with lower-cased keys; anything but a JSON object is a malformed request. */
export function readBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CoreError('malformed_request', 'The body must be a JSON object (Content-Type: application/json).');
  }
  const issues: Issue[] = [];
  const normalised = lowerCaseKeys(body, 'body', issues) as Record<string, unknown>;
  if (issues.length > 0) throw new CoreError('validation_failed', 'The body is not valid.', { issues });
  return normalised;
}

/** Validates with zod and reports the issues under the caller's (camelCase) names. */
export function parseBody<T>(
  schema: z.ZodType<T>,
  body: Record<string, unknown>,
  names: Readonly<Record<string, string>>,
): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path
      .map((part) => (typeof part === 'string' ? (names[part] ?? part) : `[${String(part)}]`))
      .join('.')
      .replace(/\.\[/g, '['),
    message: issue.message,
  }));
  throw new CoreError('validation_failed', 'The body is not valid.', { issues });
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const recallBody = z.object({
  signrequestid: text(100),
  recallreason: z.string().max(1000).nullish(),
  recalledby: z.string().max(320).nullish(),
});

const signer = z.object({
  name: text(200),
  email: z.email().max(320),
  // 0 is accepted too: whether KAiZEN counts from 0 or 1 is not published.
  order: z.number().int().min(0).max(100).nullish(),
});

export const MAX_EXPIRY_DAYS = 365;

export const initiateBody = z.object({
  title: text(255),
  message: z.string().max(2000).nullish(),
  document: z.string().min(1).describe('The PDF, base64-encoded'),
  filename: text(255).nullish(),
  signers: z.array(signer).min(1).max(100),
  expirydays: z.number().int().min(1).max(MAX_EXPIRY_DAYS).nullish(),
  owneremail: z.email().max(320).nullish(),
});

/** Alternative spellings we accept (the sources never name these members), folded onto the canonical one; giving both is an error. */
export const INITIATE_ALTERNATIVES: Readonly<Record<string, string>> = { subject: 'title', documentbase64: 'document' };

export function foldAlternatives(
  body: Record<string, unknown>,
  alternatives: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const folded = { ...body };
  const issues: Issue[] = [];
  for (const [alternative, canonical] of Object.entries(alternatives)) {
    if (folded[alternative] === undefined) continue;
    if (folded[canonical] !== undefined)
      issues.push({
        path: FIELD_NAMES[alternative] ?? alternative,
        message: `give ${FIELD_NAMES[canonical] ?? canonical} or ${FIELD_NAMES[alternative] ?? alternative}, not both`,
      });
    folded[canonical] = folded[alternative];
    delete folded[alternative];
  }
  if (issues.length > 0) throw new CoreError('validation_failed', 'The body is not valid.', { issues });
  return folded;
}

/** Lower-cased member name -> the name the documents (and our docs) spell. */
export const FIELD_NAMES: Readonly<Record<string, string>> = {
  signrequestid: 'signRequestId',
  recallreason: 'recallReason',
  recalledby: 'recalledBy',
  apptoken: 'appToken',
  title: 'title',
  subject: 'subject',
  message: 'message',
  document: 'document',
  documentbase64: 'documentBase64',
  filename: 'fileName',
  signers: 'signers',
  name: 'name',
  email: 'email',
  order: 'Order',
  expirydays: 'expiryDays',
  owneremail: 'ownerEmail',
};
