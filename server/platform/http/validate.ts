// Parses request input with a zod schema from schema/contract; failures become VALIDATION errors listing
// each bad field, and nothing downstream ever sees unvalidated input.
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.output<T> {
  // PostgreSQL cannot store a NUL in text or jsonb (22021): refuse it wherever it hides, even in a field the
  // schema passes through untouched.
  const nul = nulPath(value, [], 0);
  if (nul !== undefined) {
    const field = nul || what;
    throw new AppError('VALIDATION', `Invalid ${field}: must not contain a NUL character`, {
      fields: [{ field, message: 'must not contain a NUL character' }],
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || what,
    message: issue.message,
  }));
  const first = fields[0];
  throw new AppError('VALIDATION', first ? `Invalid ${first.field}: ${first.message}` : `Invalid ${what}`, {
    fields,
  });
}

/** The path of the first string (or key) holding a NUL, '' for the value itself; undefined when there is none. */
function nulPath(value: unknown, path: string[], depth: number): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : undefined;
  // Deeper than any contract shape: nothing legitimate nests this far, and the schema refuses it anyway.
  if (depth > 32 || typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, key];
    if (key.includes('\u0000')) return at.join('.');
    const found = nulPath(item, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
