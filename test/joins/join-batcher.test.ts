import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinBatcher } from '../../server/joins/index.ts';
import { createLogger } from '../../server/platform/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
let giveawayId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id) SELECT g FROM generate_series(1, 400) g`);
  const { rows } = await db.pool.query(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, max_participants)
     VALUES (1, 't', now(), now() + interval '1 hour', 3600, 1, 300) RETURNING id`,
  );
  giveawayId = rows[0].id;
});
afterAll(async () => {
  await db?.drop();
});

describe('JoinBatcher', () => {
  it('writes hundreds of joins in a few statements, one counter bump and one version bump per batch', async () => {
    const sizes: number[] = [];
    const batcher = new JoinBatcher({
      pool: db.pool,
      logger: createLogger('silent'),
      onFlush: (n) => sizes.push(n),
    });
    const before = (await db.pool.query('SELECT version FROM giveaways WHERE id = $1', [giveawayId])).rows[0]
      .version;
    const outcomes = await Promise.all(
      Array.from({ length: 399 }, (_, i) => batcher.enqueue({ giveawayId, userId: i + 2, source: 'api' })),
    );
    // The creator (user 1) and a duplicate inside one batch.
    const extra = await Promise.all([
      batcher.enqueue({ giveawayId, userId: 1, source: 'api' }),
      batcher.enqueue({ giveawayId, userId: 5, source: 'socket' }),
      batcher.enqueue({ giveawayId, userId: 5, source: 'socket' }),
    ]);
    await batcher.close();
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(300);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(99);
    expect(extra).toEqual(['creator', 'already_joined', 'already_joined']);
    expect(sizes.length).toBeLessThanOrEqual(6);
    const after = (
      await db.pool.query('SELECT version, participants_count FROM giveaways WHERE id = $1', [giveawayId])
    ).rows[0];
    expect(after.participants_count).toBe(300);
    expect(Number(after.version) - Number(before)).toBeLessThanOrEqual(sizes.length);
  });

  it('answers not_found for unknown giveaways and rejects every caller with UNAVAILABLE when PostgreSQL fails', async () => {
    const batcher = new JoinBatcher({ pool: db.pool, logger: createLogger('silent') });
    expect(
      await batcher.enqueue({ giveawayId: '00000000-0000-4000-8000-000000000000', userId: 2, source: 'api' }),
    ).toBe('not_found');
    await batcher.close();
    const broken = new JoinBatcher({
      pool: {
        query: () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })),
      } as never,
      logger: createLogger('silent'),
    });
    await expect(broken.enqueue({ giveawayId, userId: 3, source: 'api' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
