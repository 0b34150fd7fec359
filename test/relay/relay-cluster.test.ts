import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { insertGiveaway, sleep, startNode, until, viewer, type TestNode } from './support.ts';

// Two nodes sharing PostgreSQL and Redis, each with a relay and presence, as in a cluster.
let db: TestDatabase;
let a: TestNode;
let b: TestNode;

beforeAll(async () => {
  db = await createTestDatabase();
  const shared = { db, redisUrl: testRedisUrl(), keyPrefix: testKeyPrefix(), presence: true };
  [a, b] = await Promise.all([startNode({ ...shared, nodeId: 'a' }), startNode({ ...shared, nodeId: 'b' })]);
  await until(() => a.relay?.isLeader === true || b.relay?.isLeader === true, 5_000, 'a leader');
});
afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await db?.drop();
});

const lastWatchers = (v: { of(e: string): any[] }) =>
  v.of('giveaway:watchers').at(-1)?.watchers as number | undefined;

describe('relay cluster', () => {
  it('counts watchers across nodes and drops a node’s viewers when they disconnect', async () => {
    const id = await insertGiveaway(db.pool);
    const onA = await Promise.all([viewer(a.url, id), viewer(a.url, id)]);
    const onB = await Promise.all([viewer(b.url, id), viewer(b.url, id), viewer(b.url, id)]);
    await until(() => lastWatchers(onA[0]) === 5 && lastWatchers(onB[0]) === 5, 5_000, '5 watchers');
    for (const v of onB) v.close();
    await until(() => lastWatchers(onA[0]) === 2, 5_000, '2 watchers');
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
    await until(() => leader.relay?.isLeader === false, 1_000, 'the old leader to stand down');
    await until(() => a.relay?.isLeader === true || b.relay?.isLeader === true, 2_000, 'a new leader');
    expect(a.relay?.isLeader && b.relay?.isLeader).toBe(false);
  });

  it('emits from one relay only, and a standby takes over within 2 s without losing a change', async () => {
    const [leader, standby] = a.relay?.isLeader ? [a, b] : [b, a];
    expect(standby.relay?.isLeader).toBe(false);
    const id = await insertGiveaway(db.pool);
    const client = await viewer(standby.url, id);
    // Raw change callbacks (the draw scheduler's wake-up) fire on every node, leader or not.
    const woken = { leader: [] as string[], standby: [] as string[] };
    const offLeader = leader.relay?.onChange((gid) => woken.leader.push(gid));
    const offStandby = standby.relay?.onChange((gid) => woken.standby.push(gid));
    const seenBefore = standby.broadcasts.length; // it may have led during earlier tests
    await db.pool.query('UPDATE giveaways SET participants_count = 7 WHERE id = $1', [id]);
    await until(() => client.of('giveaway:count').length > 0, 3_000, 'count event');
    await sleep(400);
    expect(client.of('giveaway:count')).toHaveLength(1);
    expect(standby.broadcasts.slice(seenBefore)).toEqual([]);
    expect(woken).toEqual({ leader: [id], standby: [id] });
    offLeader?.();
    offStandby?.();

    // The change is committed after the leader stopped emitting and while the lock changes hands.
    const stopping = leader.relay?.stop();
    await db.pool.query(`UPDATE giveaways SET status = 'scheduled' WHERE id = $1`, [id]);
    const stoppedAt = Date.now();
    await stopping;
    const takeoverMs = await until(() => standby.relay?.isLeader === true, 2_000, 'takeover');
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    await until(() => client.of('giveaway:status').length > 0, 2_000, 'status after takeover');
    expect(client.of('giveaway:status').at(-1)).toMatchObject({ giveaway_id: id, status: 'scheduled' });
    expect(takeoverMs).toBeLessThan(2_000);
    client.close();
  });
});
