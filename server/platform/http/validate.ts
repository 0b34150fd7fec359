// Parses request input with a zod schema from schema/contract; failures become VALIDATION errors listing
// each bad field, and nothing downstream ever sees unvalidated input.
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.output<T> {
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
