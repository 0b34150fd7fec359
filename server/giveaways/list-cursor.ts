// Opaque keyset cursors for list endpoints: base64url JSON of the last row's order columns.
import { AppError } from '../platform/errors.ts';
import type { ListPage } from './giveaways.queries.ts';

type After = NonNullable<ListPage['after']>;

export function encodeCursor(after: After): string {
  return Buffer.from(JSON.stringify(after)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): After | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<After>;
    if (
      (typeof value.a === 'string' || typeof value.a === 'number') &&
      typeof value.b === 'string' &&
      typeof value.c === 'string' &&
      !Number.isNaN(Date.parse(value.b)) &&
      /^[0-9a-f-]{36}$/i.test(value.c)
    ) {
      return { a: value.a, b: value.b, c: value.c };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION', 'Invalid cursor.');
}
