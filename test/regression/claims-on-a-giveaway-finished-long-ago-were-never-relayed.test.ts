// Regression: the relay forgets the baseline of a giveaway that finished longer ago than its resync horizon
// (600 s), and without a baseline it sent no claim, change of holder or reroll. A winner who claimed an hour
// after the draw was never announced to watchers. Now a finished giveaway without a baseline gets a stand-in
// that counts as relayed everything made before the last resync's horizon.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { startNode, viewer, type TestNode } from '../relay/support.ts';

let db: TestDatabase;
let node: TestNode;
let id: string;

async function appendWinnerEvent(seq: number, userId: number, at = 'now()'): Promise<void> {
  await db.pool.query(
    `WITH g AS (UPDATE giveaways SET winner_events_count = $2 WHERE id = $1)
     INSERT INTO winner_events (giveaway_id, seq, kind, place, user_id, created_at)
     VALUES ($1, $2, 'claimed', $2, $3, ${at})`,
    [id, seq, userId],
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO users (id, username) VALUES (1, 'creator'), (2, 'alice'), (3, 'bob')`);
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, started_at, ends_at, duration, winners_count, status)
     VALUES (1, 'Drawn long ago', now() - interval '2 days', now() - interval '1 day', 86400, 2, 'completed')
     RETURNING id`,
  );
  id = rows[0]?.id ?? '';
  // A claim from long ago, relayed (or not) back then: history, never sent again.
  await appendWinnerEvent(1, 2, `now() - interval '1 hour'`);
  // recentSec 0: the relay's first resync lets every finished giveaway go, as one older than 600 s would.
  node = await startNode({
    db,
    redisUrl: testRedisUrl(),
    keyPrefix: testKeyPrefix(),
    nodeId: 'history',
    relay: { recentSec: 0 },
  });
});
afterAll(async () => {
  await node?.stop();
  await db?.drop();
});

describe('a giveaway finished before the relay’s resync horizon', () => {
  it('still announces a new claim to its watchers, and nothing from its history', async () => {
    // Its first resync (which lets the giveaway go) is done once it has caught up.
    await expect.poll(() => node.relay?.isCaughtUp, { timeout: 10_000 }).toBe(true);
    const client = await viewer(node, id);
    await appendWinnerEvent(2, 3);
    await expect.poll(() => client.of('giveaway:claimed'), { timeout: 10_000 }).toHaveLength(1);
    expect(client.of('giveaway:claimed')[0]).toMatchObject({ giveaway_id: id, place: 2, user_id: 3 });
    // Its status and result were announced when it finished: not again for a claim.
    expect(client.of('giveaway:status')).toEqual([]);
    expect(client.of('giveaway:drawn')).toEqual([]);
    // What else changed is unknown to a relay without a baseline: it asks for a refresh.
    expect(client.of('giveaway:updated')).toHaveLength(1);

    // From then on the giveaway has a baseline like any other: the next claim is one more event.
    await appendWinnerEvent(3, 1);
    await expect.poll(() => client.of('giveaway:claimed'), { timeout: 10_000 }).toHaveLength(2);
    expect(client.of('giveaway:updated')).toHaveLength(1);
    client.close();
  });
});
