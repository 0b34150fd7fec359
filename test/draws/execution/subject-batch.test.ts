// The picks' users looked up together: lookups asked for in the same turn go out as one query, each gets its
// own user (or undefined for an account that is gone), and a failed query fails every lookup it carried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as db from 'zapatos/db';
import { SubjectBatch } from '../../../server/draws/execution/subject-batch.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { ensureUsers } from '../support.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** The pool, counting the queries sent through it. */
function counted(fail = false) {
  const client = {
    queries: 0,
    query: (...args: unknown[]) => {
      client.queries++;
      if (fail) return Promise.reject(new Error('connection lost'));
      return (database.pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  };
  return client;
}

describe('SubjectBatch', () => {
  it('looks up the users asked for in one turn with one query, the missing one as undefined', async () => {
    await ensureUsers(database.pool, [61_000_001, 61_000_002]);
    const client = counted();
    const batch = new SubjectBatch(client as unknown as db.Queryable);
    const found = await Promise.all(
      [61_000_001, 61_000_002, 61_000_003, 61_000_001].map((id) => batch.get(id)),
    );
    expect(client.queries).toBe(1);
    expect(found.map((s) => s?.userId)).toEqual([61_000_001, 61_000_002, undefined, 61_000_001]);
    expect(found[0]).toEqual({ userId: 61_000_001, isPremium: false, walletAddress: null });
    expect(await batch.get(61_000_002)).toMatchObject({ userId: 61_000_002 });
    expect(client.queries).toBe(2);
  });

  it('fails every lookup of a batch whose query failed', async () => {
    const batch = new SubjectBatch(counted(true) as unknown as db.Queryable);
    const results = await Promise.allSettled([batch.get(1), batch.get(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
