// The REST issue's "done when": a giveaway created, joined by many users through the REST API, closed by
// the scheduler and drawn yields a proof bundle that verifies under the protocol; winners and prizes match it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProofBundle } from '../../server/draws/protocol/index.ts';
import { distributePrizes } from '../../server/draws/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT: 'off',
    DEBUG: 'true',
    ADMIN_IDS: '900',
    LOG_LEVEL: 'silent',
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('a giveaway from creation to a verifiable result', () => {
  it('is joined over REST, closed by the scheduler at ends_at, drawn, and its proof verifies', async () => {
    const owner = asUser(app.url, { id: 1, username: 'owner' });
    const created = await owner('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({
        duration: 6,
        winners_count: 3,
        reserves_count: 2,
        allow_tickets: true,
        prizes: [
          { title: 'Stars', quantity: 7 },
          { title: 'Sticker pack', quantity: 2 },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const giveaway = (await created.json()) as any;
    const users = Array.from({ length: 40 }, (_, i) => ({ id: 5000 + i, username: `user${i}` }));
    const joins = await Promise.all(
      users.map(
        async (u) =>
          (await asUser(app.url, u)(`/api/v1/giveaways/${giveaway.id}/join`, { method: 'POST' })).status,
      ),
    );
    expect(joins.every((s) => s === 200)).toBe(true);
    // An admin grants tickets before the end: weight = 1 + tickets.
    await asUser(app.url, { id: 900 })(`/api/v1/giveaways/${giveaway.id}/tickets`, {
      method: 'POST',
      json: { user_id: 5001, ticket_count: 5 },
    });

    const view = async () => (await (await owner(`/api/v1/giveaways/${giveaway.id}`)).json()) as any;
    // Closed by the scheduler at ends_at (6 s after creation), then drawn.
    await expect
      .poll(async () => (await view()).status, { timeout: 20_000, interval: 200 })
      .toBe('completed');
    const done = await view();
    expect(done.participants_count).toBe(40);
    expect(done.winners).toHaveLength(3);

    const proof = (await (await owner(`/api/v1/giveaways/${giveaway.id}/proof`)).json()) as any;
    expect(proof.seed_commitment).toBe(giveaway.seed_commitment);
    const entrants: Array<{ user_id: number; weight: number }> = [];
    let cursor: string | undefined;
    do {
      const page = (await (
        await owner(`/api/v1/giveaways/${giveaway.id}/entrants?limit=15${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as any;
      entrants.push(...page.entrants);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(entrants).toHaveLength(40);
    expect(entrants.find((e) => e.user_id === 5001)?.weight).toBe(6);

    const result = verifyProofBundle(proof, entrants);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);

    // Winners in the public view are the bundle's, place for place, with prizes by the distribution rule.
    expect(done.winners.map((w: any) => [w.place, w.user_id])).toEqual(
      proof.winners.map((w: any) => [w.place, Number(w.user_id)]),
    );
    const expected = distributePrizes(
      [
        { id: 1, position: 0, place: null, title: 'Stars', description: '', quantity: 7 },
        { id: 2, position: 1, place: null, title: 'Sticker pack', description: '', quantity: 2 },
      ],
      3,
    );
    const byPlace = (place: number) =>
      (expected[place - 1] ?? [])
        .map((a) => ({ title: a.prize.title, quantity: a.quantity }))
        .sort((a, b) => a.title.localeCompare(b.title));
    for (const w of done.winners) {
      const got = w.prizes
        .map((p: any) => ({ title: p.title, quantity: p.quantity }))
        .sort((a: any, b: any) => a.title.localeCompare(b.title));
      expect(got, `place ${w.place}`).toEqual(byPlace(w.place));
    }
    const totals = done.winners
      .flatMap((w: any) => w.prizes)
      .reduce((n: number, p: any) => n + p.quantity, 0);
    expect(totals).toBe(9);

    // Side effects were enqueued with the result: one DM per winner and one to the creator.
    const jobs = await db.pool.query(
      `SELECT name, count(*)::int AS n FROM pgboss.job WHERE data->>'giveaway_id' = $1 GROUP BY name ORDER BY name`,
      [giveaway.id],
    );
    expect(jobs.rows).toEqual([
      { name: 'notify-creator', n: 1 },
      { name: 'notify-winner', n: 3 },
    ]);
  }, 40_000);
});
