/** Reading what an earlier write left in the database: the value, or why it cannot be read. */
import type { z } from 'zod';

export type Stored<T> = { readonly value: T } | { readonly error: string };

export function parseStored<T>(schema: z.ZodType<T>, input: unknown): Stored<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { value: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return { error: problems.join('; ') };
}
