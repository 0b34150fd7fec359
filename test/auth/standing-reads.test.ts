// Standing checks of many users that arrive together (a crowd joining, each user's first command) are read
// from the database in one query, and each user still gets their own answer.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService, type Principal } from '../../server/auth/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id, status) SELECT g, 'active' FROM generate_series(1, 50) g`);
  await db.pool.query(`UPDATE users SET status = 'banned' WHERE id IN (7, 42)`);
});
afterAll(async () => {
  await db?.drop();
});

const principal = (userId: number): Principal => ({
  userId,
  isAdmin: false,
  isBanned: false,
  via: 'init-data',
});

/** The test database's pool, counting the statements that reach it. */
function countingPool(): { pool: pg.Pool; statements: () => number } {
  let n = 0;
  const pool = new Proxy(db.pool, {
    get(target, prop, receiver) {
      if (prop === 'query')
        return (...args: Parameters<pg.Pool['query']>) => {
          n++;
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { pool, statements: () => n };
}

describe('AuthService.standing', () => {
  it('reads the standings of users checked in the same turn with one query', async () => {
    const { pool, statements } = countingPool();
    const auth = new AuthService({ pool, botToken: undefined, initDataTtlSec: 60, adminIds: [] });
    const ids = Array.from({ length: 50 }, (_, i) => i + 1);
    const standings = await Promise.all(ids.map((id) => auth.standing(principal(id))));
    expect(statements()).toBe(1);
    const banned = ids.filter((_, i) => !standings[i]?.ok);
    expect(banned).toEqual([7, 42]);
    expect(standings[6]).toMatchObject({ ok: false, code: 'USER_BANNED' });
  });

  it('sees a ban made after a forget, in a later turn', async () => {
    // A user of its own: tests run in any order (--sequence.shuffle), and the one above reads users 1–50.
    await db.pool.query(`INSERT INTO users (id, status) VALUES (99, 'active')`);
    const { pool, statements } = countingPool();
    const auth = new AuthService({ pool, botToken: undefined, initDataTtlSec: 60, adminIds: [] });
    expect((await auth.standing(principal(99))).ok).toBe(true);
    await db.pool.query(`UPDATE users SET status = 'banned' WHERE id = 99`);
    expect((await auth.standing(principal(99))).ok).toBe(true); // cached
    auth.forget({ kind: 'user', user_id: 99, status: 'banned' });
    expect((await auth.standing(principal(99))).ok).toBe(false);
    expect(statements()).toBe(2);
  });
});
