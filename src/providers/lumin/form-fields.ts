/**
 * Multipart text fields in the bracket notation Lumin's own client (lumin-mcp-server) and
 * Pipedream send (`signers[0][email_address]`, `custom_email[title]`, `file_urls[1]`) turned back
 * into the JSON shape of SignatureRequestDTO, so both forms go through one schema. Form values are
 * strings; the few non-string fields are converted only when the text is unambiguous, and anything
 * else is left for the schema to refuse.
 */
import { CoreError } from '../../core/errors.js';

type FormValue = string | FormObject | FormValue[];
interface FormObject {
  [key: string]: FormValue;
}

/** The largest array index a form may use (signers are capped at 100; this bounds sparse arrays). */
const MAX_INDEX = 999;
const NAME = /^[a-z][a-z_]{0,63}$/;

function invalid(field: string, message: string): CoreError {
  return new CoreError('validation_failed', 'The form is not valid.', { issues: [{ path: field, message }] });
}

function segmentsOf(field: string): (string | number)[] {
  const match = /^([a-z][a-z_]{0,63})((?:\[[^\]]*\])*)$/.exec(field);
  if (!match) throw invalid(field, 'Unknown field name');
  const rest = [...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((part) => part[1]!);
  return [
    match[1]!,
    ...rest.map((segment) => {
      if (/^\d{1,3}$/.test(segment) && Number(segment) <= MAX_INDEX) return Number(segment);
      if (NAME.test(segment)) return segment;
      throw invalid(field, 'Unsupported index or key in brackets');
    }),
  ];
}

/** `[['signers[0][name]', 'Ann']]` -> `{ signers: [{ name: 'Ann' }] }`; a field given twice is refused. */
export function unflattenFormFields(entries: readonly (readonly [string, string])[]): Record<string, unknown> {
  const root: FormObject = {};
  for (const [field, value] of entries) {
    const path = segmentsOf(field);
    let container: FormObject | FormValue[] = root;
    for (let index = 0; index < path.length; index += 1) {
      const key = path[index]!;
      const isLast = index === path.length - 1;
      const next = path[index + 1];
      if (Array.isArray(container) !== (typeof key === 'number')) throw invalid(field, 'Mixes list indexes and names');
      const slot: FormValue | undefined = (container as Record<string | number, FormValue | undefined>)[key];
      if (isLast) {
        if (slot !== undefined) throw invalid(field, 'Given more than once');
        (container as Record<string | number, FormValue>)[key] = value;
        break;
      }
      if (typeof slot === 'string') throw invalid(field, 'Given both as a value and as a group');
      const created: FormObject | FormValue[] = slot ?? (typeof next === 'number' ? [] : {});
      (container as Record<string | number, FormValue>)[key] = created;
      container = created;
    }
  }
  return coerceKnownFields(root);
}

/** The DTO's non-string fields, from their form text. */
function coerceKnownFields(form: FormObject): Record<string, unknown> {
  const result: Record<string, unknown> = { ...form };
  if (typeof form.expires_at === 'string' && /^\d{1,16}$/.test(form.expires_at))
    result.expires_at = Number(form.expires_at);
  if (form.use_text_tags === 'true' || form.use_text_tags === 'false')
    result.use_text_tags = form.use_text_tags === 'true';
  // Pipedream sends custom_email (and some clients signers/viewers) as a JSON string.
  for (const name of ['custom_email', 'signers', 'viewers', 'file_urls'] as const) {
    const text = form[name];
    if (typeof text === 'string' && /^\s*[[{]/.test(text)) {
      try {
        result[name] = JSON.parse(text) as unknown;
      } catch {
        throw invalid(name, 'Not valid JSON');
      }
    }
  }
  return result;
}
