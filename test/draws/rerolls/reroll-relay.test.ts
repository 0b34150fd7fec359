// Watchers learn about rerolls: the reroll transaction bumps rerolls_count (and so the version), and the change
// relay reads the new entries from the proof bundle and emits one non-volatile giveaway:rerolled each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { testKeyPrefix, testRedisUrl } from '../../support/redis.ts';
import { leaderAmong, startNode, versionOf, viewer, type TestNode } from '../../relay/support.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  ensureUsers,
  makeService,
  userIds,
} from '../support.ts';

let database: TestDatabase;
let node: TestNode;

beforeAll(async () => {
  database = await createDrawsDatabase();
  await ensureUsers(database.pool, [42]);
  node = await startNode({
    db: database,
    redisUrl: testRedisUrl(),
    keyPrefix: testKeyPrefix(),
    nodeId: 'rerolls',
  });
  await leaderAmong(node);
});
afterAll(async () => {
  await node?.stop();
  await database?.drop();
});

describe('giveaway:rerolled', () => {
  it('is pushed to the room for each reroll, in order, with the version of the change', async () => {
    const service = makeService(database.pool, new TestEvaluator(), new TableJobs());
    const id = await createGiveaway(database.pool, { winners: 2, reserves: 1, participants: userIds(8) });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    const client = await viewer(node, id);
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    const owner = { userId: 42, isAdmin: false };

    const a = await service.rerolls.reroll(owner, id, 2, { reason: 'declined' });
    const b = await service.rerolls.reroll(owner, id, 1, { reason: 'unclaimed' });
    await expect.poll(() => client.of('giveaway:rerolled').length, { timeout: 15_000 }).toBe(2);
    const events = client.of('giveaway:rerolled');
    expect(events[0]).toMatchObject({
      giveaway_id: id,
      place: 2,
      replaced_user_id: Number(bundle.winners[1]?.user_id),
      by_user_id: Number(bundle.reserves[0]),
      reason: 'declined',
    });
    expect(events[1]).toMatchObject({ place: 1, by_user_id: b.by_user_id, reason: 'unclaimed' });
    expect(events[0].by_user_id).toBe(a.by_user_id);
    expect(events.at(-1).version).toBe(await versionOf(database.pool, id));
    expect(node.broadcasts.filter((x) => x.event === 'giveaway:rerolled').every((x) => !x.volatile)).toBe(
      true,
    );
    client.close();
  });
});
