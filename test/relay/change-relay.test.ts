import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { insertGiveaway, leaderAmong, startNode, versionOf, viewer, type TestNode } from './support.ts';

let db: TestDatabase;
let node: TestNode;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id, username) VALUES (2, 'alice'), (3, NULL)`);
  node = await startNode({ db, redisUrl: testRedisUrl(), keyPrefix: testKeyPrefix(), nodeId: 'solo' });
  await leaderAmong(node);
});
afterAll(async () => {
  await node?.stop();
  await db?.drop();
});

describe('ChangeRelay', () => {
  it('coalesces 500 counter updates in a second into at most ~10 volatile count events per second, ending on the final count', async () => {
    const id = await insertGiveaway(db.pool, [node]);
    const client = await viewer(node, id);
    // 500 commits (each with its own NOTIFY from the trigger) spread over about a second, in one round trip.
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    await writer.query(`SELECT set_config('relay_test.id', $1, false)`, [id]);
    await writer.query(`DO $$ BEGIN
      FOR i IN 1..500 LOOP
        UPDATE giveaways SET participants_count = participants_count + 1
        WHERE id = current_setting('relay_test.id')::uuid;
        COMMIT;
        PERFORM pg_sleep(0.0015);
      END LOOP;
    END $$`);
    await writer.end();
    const finalVersion = await versionOf(db.pool, id);
    await expect
      .poll(() => client.of('giveaway:count').at(-1)?.participants_count, { timeout: 15_000 })
      .toBe(500);
    // A fence: the relay announces changes in commit order, so once the edit after the 500 updates arrives,
    // every count event the relay was going to send about them has arrived too.
    await db.pool.query(`UPDATE giveaways SET title = 'Fence' WHERE id = $1`, [id]);
    await expect.poll(() => client.of('giveaway:updated').length, { timeout: 15_000 }).toBe(1);

    const counts = client.received.filter((r) => r.event === 'giveaway:count');
    expect(counts.at(-1)?.payload).toMatchObject({
      giveaway_id: id,
      version: finalVersion,
      participants_count: 500,
    });
    const versions = counts.map((c) => c.payload.version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    // In any one-second window, a 100 ms tick allows ~10 (12 with timer jitter).
    const busiest = Math.max(
      ...counts.map((c) => counts.filter((d) => d.at >= c.at && d.at < c.at + 1_000).length),
    );
    expect(busiest).toBeLessThanOrEqual(12);
    expect(counts.length).toBeLessThan(500 / 10);
    expect(node.broadcasts.filter((b) => b.event === 'giveaway:count').every((b) => b.volatile)).toBe(true);
    client.close();
  });

  it('announces content edits as giveaway:updated, and chains every event to the previous one with since', async () => {
    const id = await insertGiveaway(db.pool, [node]);
    const client = await viewer(node, id);
    await db.pool.query(`UPDATE giveaways SET participants_count = 1 WHERE id = $1`, [id]);
    await expect
      .poll(() => client.of('giveaway:count').length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(1);
    await db.pool.query(`UPDATE giveaways SET title = 'Renamed' WHERE id = $1`, [id]);
    await expect.poll(() => client.of('giveaway:updated').length, { timeout: 15_000 }).toBe(1);
    const count = client.of('giveaway:count').at(-1) as { version: number };
    const updated = client.of('giveaway:updated')[0] as { version: number; since: number };
    expect(updated.since).toBe(count.version);
    expect(updated.version).toBe(await versionOf(db.pool, id));
    // A change nobody watches (a timestamp) sends nothing and does not move `since`.
    await db.pool.query(`UPDATE giveaways SET updated_at = now() - interval '1 second' WHERE id = $1`, [id]);
    await db.pool.query(`UPDATE giveaways SET participants_count = 2 WHERE id = $1`, [id]);
    await expect
      .poll(() => client.of('giveaway:count').some((c: any) => c.participants_count === 2), {
        timeout: 15_000,
      })
      .toBe(true);
    expect((client.of('giveaway:count').at(-1) as { since: number }).since).toBe(updated.version);
  });

  it('delivers a status change and a completed draw as non-volatile events with winners, prizes and proof', async () => {
    const id = await insertGiveaway(db.pool, [node]);
    const client = await viewer(node, id);
    await db.pool.query(`UPDATE giveaways SET status = 'pending', pending_since = now() WHERE id = $1`, [id]);
    await expect.poll(() => client.of('giveaway:status').length, { timeout: 15_000 }).toBe(1);
    expect(client.of('giveaway:status')[0]).toMatchObject({
      giveaway_id: id,
      version: await versionOf(db.pool, id),
      status: 'pending',
    });

    await db.pool.query(
      `INSERT INTO draw_commitments (giveaway_id, server_seed, seed_commitment)
       VALUES ($1, decode(repeat('ab', 32), 'hex'), repeat('c', 64))`,
      [id],
    );
    await db.pool.query(`INSERT INTO winners (giveaway_id, place, user_id) VALUES ($1, 1, 2), ($1, 2, 3)`, [
      id,
    ]);
    await db.pool.query(
      `INSERT INTO win_records (giveaway_id, user_id, place, prize_title, prize_description, quantity)
       VALUES ($1, 2, 1, 'Stars', '100 stars', 3), ($1, 3, 2, 'Sticker', '', 1)`,
      [id],
    );
    await db.pool.query(
      `INSERT INTO draw_proofs (giveaway_id, mode, entrants_root, entrants_count, bundle)
       VALUES ($1, 'random', repeat('d', 64), 2, '{}')`,
      [id],
    );
    await db.pool.query(`UPDATE giveaways SET status = 'completed', finished_at = now() WHERE id = $1`, [id]);
    await expect.poll(() => client.of('giveaway:drawn').length, { timeout: 15_000 }).toBe(1);
    const version = await versionOf(db.pool, id);
    expect(client.of('giveaway:status')[1]).toMatchObject({ giveaway_id: id, version, status: 'completed' });
    expect(client.of('giveaway:drawn')[0]).toMatchObject({
      giveaway_id: id,
      version,
      winners: [
        {
          place: 1,
          user_id: 2,
          username: 'alice',
          prizes: [{ title: 'Stars', description: '100 stars', quantity: 3 }],
        },
        { place: 2, user_id: 3, prizes: [{ title: 'Sticker', description: '', quantity: 1 }] },
      ],
      proof: { seed_commitment: 'c'.repeat(64), entrants_root: 'd'.repeat(64), entrants_count: 2 },
    });
    // A pure status change carries no count event.
    expect(client.of('giveaway:count')).toEqual([]);
    const reliable = node.broadcasts.filter(
      (b) => b.event === 'giveaway:status' || b.event === 'giveaway:drawn',
    );
    expect(reliable.length).toBeGreaterThanOrEqual(3);
    expect(reliable.every((b) => !b.volatile)).toBe(true);
    client.close();
  });

  it('comes back after its LISTEN backend is terminated and delivers a change made while it was away', async () => {
    const id = await insertGiveaway(db.pool, [node]);
    const client = await viewer(node, id);
    // Opened before new connections are refused, so it can still write while the listener cannot return.
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
      const { rowCount } = await writer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE 'gw-relay-listen:%'`,
      );
      expect(rowCount).toBe(1);
      await expect.poll(() => node.relay?.isLeader, { timeout: 15_000 }).toBe(false);
      await writer.query(`UPDATE giveaways SET status = 'scheduled' WHERE id = $1`, [id]);
      // Not synchronisation: 700 ms away, in which reconnect attempts fail and nothing may reach the room.
      await sleep(700);
      expect(client.of('giveaway:status')).toEqual([]);
    } finally {
      await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
      await writer.end();
    }
    await expect.poll(() => client.of('giveaway:status').length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(client.of('giveaway:status')[0]).toMatchObject({ giveaway_id: id, status: 'scheduled' });
    expect(node.relay?.isLeader).toBe(true);
    client.close();
  });
});
