import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { insertGiveaway, leaderAmong, startNode, viewer, type TestNode } from './support.ts';

// Two nodes sharing PostgreSQL and Redis, each with a relay and presence, as in a cluster.
let db: TestDatabase;
let a: TestNode;
let b: TestNode;

beforeAll(async () => {
  db = await createTestDatabase();
  const shared = { db, redisUrl: testRedisUrl(), keyPrefix: testKeyPrefix(), presence: true };
  [a, b] = await Promise.all([startNode({ ...shared, nodeId: 'a' }), startNode({ ...shared, nodeId: 'b' })]);
  await leaderAmong(a, b);
});
afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await db?.drop();
});

const lastWatchers = (v: { of(e: string): any[] }) =>
  v.of('giveaway:watchers').at(-1)?.watchers as number | undefined;

describe('relay cluster', () => {
  it('counts watchers across nodes and drops a node’s viewers when they disconnect', async () => {
    const id = await insertGiveaway(db.pool, [a, b]);
    const onA = await Promise.all([viewer(a, id), viewer(a, id)]);
    const onB = await Promise.all([viewer(b, id), viewer(b, id), viewer(b, id)]);
    await expect
      .poll(() => [lastWatchers(onA[0]), lastWatchers(onB[0])], { timeout: 15_000 })
      .toEqual([5, 5]);
    for (const v of onB) v.close();
    await expect.poll(() => lastWatchers(onA[0]), { timeout: 15_000 }).toBe(2);
    const event = onA[0].of('giveaway:watchers').at(-1);
    expect(event).toMatchObject({ giveaway_id: id, watchers: 2 });
    expect(event.version).toBeGreaterThanOrEqual(1);
    expect(
      [...a.broadcasts, ...b.broadcasts]
        .filter((x) => x.event === 'giveaway:watchers')
        .every((x) => x.volatile),
    ).toBe(true);
    for (const v of onA) v.close();
  });

  it('moves leadership within 2 s when the leader’s lock session is terminated', async () => {
    const leader = a.relay?.isLeader ? a : b;
    const { rowCount } = await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1`,
      [`gw-relay-lock:${leader === a ? 'a' : 'b'}`],
    );
    expect(rowCount).toBe(1);
    const terminatedAt = Date.now();
    await expect.poll(() => leader.relay?.isLeader, { timeout: 15_000, interval: 20 }).toBe(false);
    const stoodDownAt = Date.now();
    expect(stoodDownAt - terminatedAt).toBeLessThan(1_000);
    await expect
      .poll(() => a.relay?.isLeader === true || b.relay?.isLeader === true, { timeout: 15_000, interval: 20 })
      .toBe(true);
    expect(Date.now() - stoodDownAt).toBeLessThan(2_000);
    expect(a.relay?.isLeader && b.relay?.isLeader).toBe(false);
  });

  it('emits from one relay only, and a standby takes over within 2 s without losing a change', async () => {
    const [leader, standby] = a.relay?.isLeader ? [a, b] : [b, a];
    expect(standby.relay?.isLeader).toBe(false);
    // The feed (the draw scheduler's wake-up) hears changes on every node, leader or not.
    const woken = { leader: [] as string[], standby: [] as string[] };
    const offLeader = leader.feed.onChange((changes) =>
      woken.leader.push(...changes.map((c) => c.giveawayId)),
    );
    const offStandby = standby.feed.onChange((changes) =>
      woken.standby.push(...changes.map((c) => c.giveawayId)),
    );
    const id = await insertGiveaway(db.pool, [a, b]);
    // The insert's own notification can arrive after this point: wait for it on both nodes, then count
    // from zero (it once landed after the listeners were attached and was counted as a second change).
    await expect
      .poll(() => woken.leader.includes(id) && woken.standby.includes(id), { timeout: 15_000 })
      .toBe(true);
    const client = await viewer(standby, id);
    woken.leader.length = 0;
    woken.standby.length = 0;
    const seenBefore = standby.broadcasts.length; // it may have led during earlier tests
    await db.pool.query('UPDATE giveaways SET participants_count = 7 WHERE id = $1', [id]);
    await expect.poll(() => client.of('giveaway:count').length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => woken, { timeout: 15_000 }).toEqual({ leader: [id], standby: [id] });
    // Not synchronisation: the standby has heard the change; four of its 100 ms ticks pass, emitting nothing.
    await sleep(400);
    expect(client.of('giveaway:count')).toHaveLength(1);
    expect(standby.broadcasts.slice(seenBefore)).toEqual([]);
    expect(woken).toEqual({ leader: [id], standby: [id] });
    offLeader();
    offStandby();

    // The change is committed after the leader stopped emitting and while the lock changes hands.
    const stopping = leader.relay?.stop();
    await db.pool.query(`UPDATE giveaways SET status = 'scheduled' WHERE id = $1`, [id]);
    const stoppedAt = Date.now();
    await stopping;
    const takeoverFrom = Date.now();
    await expect.poll(() => standby.relay?.isLeader, { timeout: 15_000, interval: 20 }).toBe(true);
    const takeoverMs = Date.now() - takeoverFrom;
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    const statusFrom = Date.now();
    await expect
      .poll(() => client.of('giveaway:status').length, { timeout: 15_000, interval: 20 })
      .toBeGreaterThan(0);
    expect(Date.now() - statusFrom).toBeLessThan(2_000);
    expect(client.of('giveaway:status').at(-1)).toMatchObject({ giveaway_id: id, status: 'scheduled' });
    expect(takeoverMs).toBeLessThan(2_000);
    client.close();
  });
});
