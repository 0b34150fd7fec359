// Rows go to PostgreSQL through COPY's text format: tabs, line breaks and backslashes in legacy strings
// arrive intact, and a value PostgreSQL cannot store (a NUL character) costs only its own record, reported.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { importFrom, startLegacyRedis, type LegacyRedis } from './harness.ts';

let db: TestDatabase;
let redis: LegacyRedis;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), startLegacyRedis()]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), redis?.stop()]);
});

const user = (id: number, firstName: string) =>
  JSON.stringify({ id, username: `u${id}`, first_name: firstName, last_name: '\\N', role: 'user' });

it('keeps special characters and reports an unstorable record without stopping', async () => {
  await redis.client.set('user:101', user(101, 'tab\there\nline\\slash\r'));
  await redis.client.set('user:102', user(102, 'nul\u0000inside'));
  await redis.client.set('user:103', user(103, 'plain'));

  const report = await importFrom(redis.url, db.pool);

  const rows = await db.pool.query<{ id: string; first_name: string; last_name: string }>(
    'SELECT id, first_name, last_name FROM users ORDER BY id',
  );
  expect(rows.rows).toEqual([
    { id: '101', first_name: 'tab\there\nline\\slash\r', last_name: '\\N' },
    { id: '103', first_name: 'plain', last_name: '\\N' },
  ]);
  expect(report.imported.users).toBe(2);
  expect(report.skipped.by_reason).toEqual({ db_error: 1 });
  expect(report.skipped.items).toEqual([expect.objectContaining({ key: 'user:102', reason: 'db_error' })]);
});
