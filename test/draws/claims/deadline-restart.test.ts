// The deadline across restarts and nodes, on the production composition (worker role): a giveaway with a
// claim window is drawn by the scheduler; the worker stops; the deadline passes while no worker runs; two new
// worker nodes start together. The place passes to the next reserve exactly once: one reroll in the proof, one
// DM to the reserve, one giveaway.winner_changed webhook event.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { FakeTelegram } from '../../support/fake-telegram.ts';
import { createBody } from '../../support/giveaway-fixtures.ts';
import { TEST_BOT_TOKEN, asUser } from '../../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { passClaimDeadline } from '../../support/claim-deadline.ts';

let db: TestDatabase;
let fake: FakeTelegram;
const nodes: TestApp[] = [];
const OWNER = 720;

const env = () => ({
  ROLES: 'api,worker',
  DATABASE_URL: db.url,
  BOT_TOKEN: TEST_BOT_TOKEN,
  BOT_API_ROOT: fake.apiRoot,
  PUBLIC_BASE_URL: 'http://public.test',
  DEBUG: 'true',
  RATE_LIMIT: 'off',
});
const startNode = async () => {
  const node = await startTestApp(env(), {
    jobs: { poolMax: 2, retry: { limit: 3, delaySec: 0, backoff: false } },
    tuning: {
      telegram: {
        throttle: { globalPerSec: 1000, privatePerSec: 100, groupPerMin: 6000 },
        retry: { maxRetryAfterSec: 2, baseDelayMs: 10 },
        workOptions: { pollingIntervalSeconds: 0.2 },
      },
      claimPollMs: 100,
    },
  });
  nodes.push(node);
  return node;
};

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await FakeTelegram.start();
  // The owner's webhook endpoint (never reachable: only the captured events are looked at).
  await db.pool.query(`INSERT INTO users (id, first_name) VALUES ($1, 'Owner')`, [OWNER]);
  const key = await db.pool.query<{ id: string }>(
    `INSERT INTO api_keys (owner_id, name, prefix, secret_hash) VALUES ($1, 'k', 'gw_test', $2) RETURNING id`,
    [OWNER, randomBytes(32)],
  );
  await db.pool.query(
    `INSERT INTO webhook_endpoints (api_key_id, owner_id, url, events, secret)
     VALUES ($1, $2, 'https://hooks.invalid/x', $3, 'whsec_dGVzdA==')`,
    [key.rows[0]?.id, OWNER, ['giveaway.winner_changed', 'giveaway.claimed']],
  );
});
afterAll(async () => {
  for (const node of nodes) await node.stop().catch(() => undefined);
  await fake?.stop();
  await db?.drop();
});

const dmsTo = (userId: number) => fake.callsOf('sendMessage').filter((c) => c.payload.chat_id === userId);

describe('the claim deadline across a restart', () => {
  it('passes the place to the next reserve exactly once when two new workers find it overdue', async () => {
    const first = await startNode();
    const owner = asUser(first.url, { id: OWNER });
    const created = await owner('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ duration: 5, winners_count: 1, reserves_count: 2, claim_window: 600, prizes: [] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (let u = 0; u < 6; u++) {
      const res = await asUser(first.url, { id: 7_200_000 + u })(`/api/v1/giveaways/${id}/join`, {
        method: 'POST',
      });
      expect(res.status).toBe(200);
    }
    const view = async (node: TestApp) =>
      (await (await asUser(node.url, { id: OWNER })(`/api/v1/giveaways/${id}`)).json()) as {
        status: string;
        winners: Array<{ place: number; user_id: number; claim_deadline: string | null }>;
      };
    await expect.poll(async () => (await view(first)).status, { timeout: 20_000 }).toBe('completed');
    const proof = (await (await owner(`/api/v1/giveaways/${id}/proof`)).json()) as {
      winners: Array<{ user_id: number }>;
      reserves: number[];
    };
    const winner = Number(proof.winners[0]?.user_id);
    const reserve = Number(proof.reserves[0]);
    await fake.waitFor(() => dmsTo(winner).length === 1, 10_000, 'the winner DM');
    expect((await view(first)).winners[0]?.claim_deadline).toEqual(expect.any(String));

    // The worker goes away; the deadline passes while nobody sweeps.
    await first.stop();
    await passClaimDeadline(db.pool, id);
    const [second, third] = await Promise.all([startNode(), startNode()]);

    await expect
      .poll(async () => (await view(second)).winners.map((w) => w.user_id), { timeout: 15_000 })
      .toEqual([reserve]);
    await fake.waitFor(() => dmsTo(reserve).length === 1, 10_000, 'the reserve DM');
    // Further passes on either node find nothing due.
    expect(await second.app.services.draws.claims.expireDue()).toMatchObject({ rerolled: 0, vacated: 0 });
    expect(await third.app.services.draws.claims.expireDue()).toMatchObject({ rerolled: 0, vacated: 0 });

    const after = (await (
      await asUser(second.url, { id: OWNER })(`/api/v1/giveaways/${id}/proof`)
    ).json()) as {
      rerolls: unknown[];
    };
    expect(after.rerolls).toEqual([
      { place: 1, replaced_user_id: winner, by_user_id: reserve, reason: 'unclaimed' },
    ]);
    const hooks = await db.pool.query(
      `SELECT type, payload FROM webhook_events WHERE giveaway_id = $1 AND type LIKE 'giveaway.winner%'`,
      [id],
    );
    expect(hooks.rows).toEqual([
      {
        type: 'giveaway.winner_changed',
        payload: {
          giveaway_id: id,
          place: 1,
          previous_user_id: winner,
          user_id: reserve,
          reason: 'unclaimed',
        },
      },
    ]);
    const ledger = await db.pool.query(
      `SELECT count(*)::int AS n FROM notifications WHERE giveaway_id = $1 AND recipient_id = $2`,
      [id, reserve],
    );
    expect(ledger.rows).toEqual([{ n: 1 }]);
    expect(dmsTo(reserve)).toHaveLength(1);

    // The new holder claims from the Mini App route on either node.
    const claim = await asUser(third.url, { id: reserve })(`/api/v1/giveaways/${id}/claim`, {
      method: 'POST',
    });
    expect(await claim.json()).toMatchObject({ place: 1, status: 'claimed' });
  });
});
