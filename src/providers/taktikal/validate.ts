/**
 * Validation at the edge, once. Taktikal's server (ServiceStack) binds JSON and query keys without
 * regard to case, and its docs mix `SignInOrder` with `flattenDocument`, so keys are first mapped
 * case-insensitively onto the schema's own names (read from the zod schema itself, so the two
 * cannot drift); then the strict schema rejects unknown keys. Field names in errors are PascalCase
 * paths, as ServiceStack reports them (`CreateSignees[0].Email`).
 */
import type { z } from 'zod';
import { validationError, type FieldError } from './errors.js';

type Segment = string | number;

/** The schema's object shapes, seen through optional/nullable/default/pipe/array wrappers. */
function objectShapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = (
    schema as unknown as {
      def: { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType };
    }
  ).def;
  switch (def.type) {
    case 'object':
      return def.shape;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return def.innerType ? objectShapeOf(def.innerType) : undefined;
    case 'pipe':
      return def.in ? objectShapeOf(def.in) : undefined;
    default:
      return undefined;
  }
}

function elementOf(schema: z.ZodType): z.ZodType | undefined {
  const def = (schema as unknown as { def: { type: string; element?: z.ZodType; innerType?: z.ZodType } }).def;
  if (def.type === 'array') return def.element;
  if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(def.type))
    return elementOf(def.innerType);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Renames keys to the schema's spelling; keys the schema does not know are kept (the strict schema refuses them). */
export function normaliseKeys(
  value: unknown,
  schema: z.ZodType,
  path: Segment[] = [],
  problems: FieldError[] = [],
): { value: unknown; problems: FieldError[] } {
  const element = elementOf(schema);
  if (Array.isArray(value) && element) {
    return {
      value: value.map((item, index) => normaliseKeys(item, element, [...path, index], problems).value),
      problems,
    };
  }
  const shape = objectShapeOf(schema);
  if (!shape || !isPlainObject(value)) return { value, problems };
  const canonical = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  const renamed: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const name = canonical.get(key.toLowerCase()) ?? key;
    if (Object.hasOwn(renamed, name)) {
      problems.push({
        errorCode: 'Duplicate',
        fieldName: fieldName([...path, name]),
        message: `"${name}" is given more than once (keys are case-insensitive).`,
      });
      continue;
    }
    const fieldSchema = shape[name];
    renamed[name] = fieldSchema ? normaliseKeys(entry, fieldSchema, [...path, name], problems).value : entry;
  }
  return { value: renamed, problems };
}

export function fieldName(path: readonly Segment[]): string {
  return path.reduce<string>((name, segment) => {
    if (typeof segment === 'number') return `${name}[${segment}]`;
    const pascal = segment.charAt(0).toUpperCase() + segment.slice(1);
    return name ? `${name}.${pascal}` : pascal;
  }, '');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], input: unknown): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const path = issue.path.filter((segment): segment is Segment => typeof segment !== 'symbol');
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          errorCode: 'UnknownField',
          fieldName: fieldName([...path, key]),
          message: `"${key}" is not a field of this request.`,
        }));
      case 'invalid_type': {
        const missing = valueAt(input, issue.path) === undefined;
        return [
          {
            errorCode: missing ? 'NotEmpty' : 'InvalidType',
            fieldName: fieldName(path),
            message: missing ? `'${fieldName(path)}' must not be empty.` : issue.message,
          },
        ];
      }
      case 'too_small':
      case 'too_big':
        return [{ errorCode: 'Length', fieldName: fieldName(path), message: issue.message }];
      case 'invalid_format':
        return [
          {
            errorCode: issue.format === 'email' ? 'Email' : 'InvalidFormat',
            fieldName: fieldName(path),
            message: issue.message,
          },
        ];
      case 'custom': {
        const code = (issue.params as { errorCode?: string } | undefined)?.errorCode ?? 'Invalid';
        return [{ errorCode: code, fieldName: fieldName(path), message: issue.message }];
      }
      default:
        return [{ errorCode: 'Invalid', fieldName: fieldName(path), message: issue.message }];
    }
  });
}

/** Normalises keys, then parses; throws the ServiceStack-shaped validation error. */
export function parseTaktikal<T>(schema: z.ZodType<T>, raw: unknown, where: 'body' | 'query'): T {
  if (raw === undefined && where === 'body') {
    throw validationError([{ errorCode: 'NotEmpty', fieldName: '', message: 'Send the request as a JSON body.' }]);
  }
  const { value, problems } = normaliseKeys(raw ?? {}, schema);
  const result = schema.safeParse(value);
  const errors = [...problems, ...(result.success ? [] : fieldErrorsOf(result.error.issues, value))];
  if (errors.length > 0 || !result.success) throw validationError(errors);
  return result.data;
}
