// Opaque keyset cursors for list endpoints: base64url JSON of the last row's order columns. A cursor comes from
// the client, so it is checked against the list's order before any query runs: a wrong type, a NUL or a date
// PostgreSQL cannot hold is a VALIDATION error naming `cursor`, never a failed cast (500).
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import type { ListOrder, ListPage } from './giveaways.queries.ts';

type After = NonNullable<ListPage['after']>;

const Timestamp = z.iso.datetime({ offset: true }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 2000 && year <= 9999;
});
const Uuid = z.uuid();
const Count = z.number().int().min(0).max(2_147_483_647);

const CURSORS: Record<ListOrder, z.ZodType<After>> = {
  top: z.object({ a: Count, b: Timestamp, c: Uuid }),
  newest: z.object({ a: Timestamp, b: Timestamp, c: Uuid }),
  ended: z.object({ a: Timestamp, b: Timestamp, c: Uuid }),
};

export function encodeCursor(after: After): string {
  return Buffer.from(JSON.stringify(after)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, order: ListOrder): After | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = CURSORS[order].safeParse(value);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

function invalidCursor(): AppError {
  return new AppError('VALIDATION', 'Invalid cursor: must be a next-page cursor of this list', {
    fields: [{ field: 'cursor', message: 'must be a next-page cursor of this list' }],
  });
}
