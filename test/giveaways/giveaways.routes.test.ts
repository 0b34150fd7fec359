import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { administerChannel, createBody } from '../support/giveaway-fixtures.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
const ADMIN = { id: 900 };
const OWNER = { id: 2001, username: 'owner' };
const BOB = { id: 2002, username: 'bob' };
const CAROL = { id: 2003, username: 'carol', is_premium: true };

type Json = Record<string, any>;
const call = (user: { id: number }) => asUser(app.url, user);
async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}
async function create(body: Record<string, unknown> = {}, user: { id: number } = OWNER): Promise<Json> {
  const res = await call(user)('/api/v1/giveaways', { method: 'POST', json: createBody(body) });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
  return json(res);
}
const countGiveaways = async () =>
  Number((await db.pool.query('SELECT count(*) AS n FROM giveaways')).rows[0].n);

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    ADMIN_IDS: String(ADMIN.id),
    RATE_LIMIT: 'off',
  });
  for (const u of [OWNER, BOB, CAROL, ADMIN]) await call(u)('/api/v1/users/me');
  await administerChannel(db.pool, OWNER.id, -1001, 'ownerchannel');
  await administerChannel(db.pool, BOB.id, -1002, 'bobchannel');
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('creating a giveaway', () => {
  it('accepts the Mini App body and persists every accepted field', async () => {
    const view = await create({
      reserves_count: 2,
      allow_tickets: true,
      max_participants: 50,
      sponsors: [{ id: -1001 }],
      prizes: [
        { place: 1, title: 'Stars', description: '100 stars', quantity: 3 },
        { place: 2, title: 'Premium' },
      ],
      requirements: [
        { type: 'premium' },
        { type: 'account_age', account_age_min_year: 2014, account_age_max_year: 2020 },
      ],
    });
    expect(view).toMatchObject({
      title: 'Win a prize',
      description: 'A test giveaway',
      status: 'active',
      duration: 3600,
      winners_count: 2,
      reserves_count: 2,
      max_participants: 50,
      allow_tickets: true,
      participants_count: 0,
      user_role: 'owner',
      can_edit: true,
      msg_id: null,
      prizes: [
        { place: null, title: 'Stars', description: '100 stars', quantity: 3 },
        { place: null, title: 'Premium', description: '', quantity: 1 },
      ],
      sponsors: [
        {
          id: -1001,
          username: 'ownerchannel',
          title: 'Channel ownerchannel',
          url: 'https://t.me/ownerchannel',
          // The Mini App shows a placeholder for an empty avatar: sponsors use the channel avatar proxy.
          avatar_url: expect.stringMatching(/\/api\/public\/channels\/-1001\/avatar$/),
        },
      ],
    });
    expect(view.seed_commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(view.ends_at) - Date.parse(view.started_at)).toBe(3_600_000);
    expect(view.requirements).toHaveLength(2);
    const req = await db.pool.query('SELECT * FROM requirements WHERE giveaway_id = $1 ORDER BY position', [
      view.id,
    ]);
    expect(req.rows[1]).toMatchObject({
      type: 'account_age',
      account_age_min_year: 2014,
      account_age_max_year: 2020,
    });
  });

  it('keeps ranked places when asked, and starts in the future as scheduled', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const view = await create({
      prize_mode: 'ranked',
      starts_at: startsAt,
      prizes: [
        { place: 1, title: 'Gold' },
        { place: 2, title: 'Silver' },
      ],
    });
    expect(view.status).toBe('scheduled');
    expect(view.started_at).toBe(startsAt);
    expect(view.prizes.map((p: Json) => p.place)).toEqual([1, 2]);
  });

  it.each([
    ['an empty title', { title: '   ' }],
    ['a title over 100 characters', { title: 'x'.repeat(101) }],
    ['a description over 1000 characters', { description: 'x'.repeat(1001) }],
    ['a duration under 5 minutes', { duration: 299 }],
    ['a duration over 60 days', { duration: 60 * 86400 + 1 }],
    ['zero winners', { winners_count: 0 }],
    ['1001 winners', { winners_count: 1001 }],
    ['winners as a string', { winners_count: 'ten' }],
    ['a prize title over 20 characters', { prizes: [{ title: 'x'.repeat(21) }] }],
    ['a prize quantity of 0', { prizes: [{ title: 'A', quantity: 0 }] }],
    ['a fractional prize quantity', { prizes: [{ title: 'A', quantity: 1.5 }] }],
    ['max_participants below winners_count', { winners_count: 5, max_participants: 3 }],
    ['four sponsors', { sponsors: [{ id: -1 }, { id: -2 }, { id: -3 }, { id: -4 }] }],
    ['duplicate sponsors', { sponsors: [{ id: -1001 }, { id: -1001 }] }],
    ['an unknown requirement type', { requirements: [{ type: 'telepathy' }] }],
  ])('refuses %s with VALIDATION and creates nothing', async (_name, patch) => {
    const before = await countGiveaways();
    const res = await call(OWNER)('/api/v1/giveaways', { method: 'POST', json: createBody(patch) });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ code: 'VALIDATION', error: expect.any(String) });
    expect(await countGiveaways()).toBe(before);
  });

  it('refuses sponsors the creator does not administer, a holdton without a minimum, and bad JSON', async () => {
    const before = await countGiveaways();
    const foreign = await call(OWNER)('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ sponsors: [{ id: -1002 }] }),
    });
    expect(foreign.status).toBe(403);
    expect(await json(foreign)).toMatchObject({ code: 'FORBIDDEN' });
    const ton = await call(OWNER)('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ requirements: [{ type: 'holdton' }] }),
    });
    expect(ton.status).toBe(400);
    expect(await json(ton)).toMatchObject({ code: 'VALIDATION' });
    const broken = await call(OWNER)('/api/v1/giveaways', {
      method: 'POST',
      body: '{"title": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    const huge = await call(OWNER)('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ description: 'x'.repeat(400_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await countGiveaways()).toBe(before);
  });
});

describe('claim windows', () => {
  it('takes claim_window in seconds on create and update, and refuses one out of range naming the field', async () => {
    for (const claim_window of [60, 604_801, 900.5, '600']) {
      const res = await call(OWNER)('/api/v1/giveaways', {
        method: 'POST',
        json: createBody({ claim_window }),
      });
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.code).toBe('VALIDATION');
      expect(JSON.stringify(body.details)).toContain('claim_window');
    }
    const none = await create();
    expect(none).toMatchObject({ claim_window: null, vacant_places: [] });
    const view = await create({ claim_window: 86_400 });
    expect(view.claim_window).toBe(86_400);
    const off = await call(OWNER)(`/api/v1/giveaways/${view.id}`, {
      method: 'PUT',
      json: { claim_window: null },
    });
    expect((await json(off)).claim_window).toBeNull();
    const on = await call(OWNER)(`/api/v1/giveaways/${view.id}`, {
      method: 'PUT',
      json: { claim_window: 600 },
    });
    expect((await json(on)).claim_window).toBe(600);
  });
});

describe('reading giveaways', () => {
  it('answers with the caller role: owner, user, participant; msg_id only for the owner', async () => {
    const g = await create();
    const asBob = await json(await call(BOB)(`/api/v1/giveaways/${g.id}`));
    expect(asBob).toMatchObject({ id: g.id, user_role: 'user', can_edit: false });
    expect(asBob).not.toHaveProperty('msg_id');
    expect((await call(BOB)(`/api/v1/giveaways/${g.id}/join`, { method: 'POST' })).status).toBe(200);
    expect(await json(await call(BOB)(`/api/v1/giveaways/${g.id}`))).toMatchObject({
      user_role: 'participant',
      participants_count: 1,
    });
    expect((await call(BOB)('/api/v1/giveaways/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await call(BOB)('/api/v1/giveaways/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ code: 'VALIDATION' });
  });

  it('lists the top giveaways by participants then newest, filtered by min_participants, as a bare array', async () => {
    const a = await create({ title: 'A' });
    const b = await create({ title: 'B' });
    await db.pool.query(`UPDATE giveaways SET participants_count = 30 WHERE id = $1`, [a.id]);
    await db.pool.query(`UPDATE giveaways SET participants_count = 40 WHERE id = $1`, [b.id]);
    const top = await json(await call(BOB)('/api/v1/giveaways?limit=100&offset=0&min_participants=25'));
    expect(Array.isArray(top)).toBe(true);
    expect(top.map((g: Json) => g.title)).toEqual(['B', 'A']);
  });

  it('pages with limit/offset and with the X-Next-Cursor keyset, with no duplicates or gaps', async () => {
    const mine = { id: 2100 };
    await call(mine)('/api/v1/users/me');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await create({ title: `G${i}` }, mine)).id);
    const seen: string[] = [];
    let url = '/api/v1/giveaways/me/all?limit=3';
    for (;;) {
      const res = await call(mine)(url);
      const page = await json(res);
      seen.push(...page.map((g: Json) => g.id));
      const next = res.headers.get('x-next-cursor');
      if (!next) break;
      url = `/api/v1/giveaways/me/all?limit=3&cursor=${next}`;
    }
    expect(seen).toEqual([...ids].reverse());
    const offset = await json(await call(mine)('/api/v1/giveaways/me/all?limit=2&offset=2'));
    expect(offset.map((g: Json) => g.id)).toEqual([ids[4], ids[3]]);
    expect((await call(mine)('/api/v1/giveaways/me/all?cursor=garbage')).status).toBe(400);
    const byCreator = await json(await call(BOB)(`/api/v1/users/${mine.id}/giveaways?limit=100`));
    expect(byCreator).toHaveLength(7);
    expect(await json(await call(mine)('/api/v1/giveaways/me/history'))).toEqual([]);
  });

  it('lists what the caller joined', async () => {
    const g = await create({ title: 'joinable' });
    await call(CAROL)(`/api/v1/giveaways/${g.id}/join`, { method: 'POST' });
    const joined = await json(await call(CAROL)('/api/v1/giveaways/me/participated'));
    expect(joined.map((x: Json) => x.id)).toContain(g.id);
  });
});

describe('lifecycle', () => {
  it('lets only the owner or an admin change status, and only along the transition table', async () => {
    const g = await create();
    const byBob = await call(BOB)(`/api/v1/giveaways/${g.id}/status`, {
      method: 'PATCH',
      json: { status: 'cancelled' },
    });
    expect(byBob.status).toBe(403);
    const jump = await call(OWNER)(`/api/v1/giveaways/${g.id}/status`, {
      method: 'PATCH',
      json: { status: 'completed' },
    });
    expect(jump.status).toBe(409);
    expect(await json(jump)).toMatchObject({ code: 'INVALID_TRANSITION' });
    const bogus = await call(OWNER)(`/api/v1/giveaways/${g.id}/status`, {
      method: 'PATCH',
      json: { status: 'history' },
    });
    expect(bogus.status).toBe(400);
    const cancel = await call(ADMIN)(`/api/v1/giveaways/${g.id}/status`, {
      method: 'PATCH',
      json: { status: 'cancelled' },
    });
    expect(cancel.status).toBe(200);
    expect(await json(cancel)).toMatchObject({ status: 'cancelled' });
    const again = await call(OWNER)(`/api/v1/giveaways/${g.id}/status`, {
      method: 'PATCH',
      json: { status: 'active' },
    });
    expect(again.status).toBe(409);
  });

  it('cancels only within 5 minutes and with at most 10 participants', async () => {
    const crowded = await create();
    await db.pool.query(`UPDATE giveaways SET participants_count = 11 WHERE id = $1`, [crowded.id]);
    expect((await call(OWNER)(`/api/v1/giveaways/${crowded.id}/cancel`, { method: 'POST' })).status).toBe(
      409,
    );
    const late = await create();
    await db.pool.query(`UPDATE giveaways SET started_at = now() - interval '6 minutes' WHERE id = $1`, [
      late.id,
    ]);
    expect((await call(OWNER)(`/api/v1/giveaways/${late.id}/cancel`, { method: 'POST' })).status).toBe(409);
  });

  it('edits title, description and prizes within 5 minutes of start, then refuses', async () => {
    const g = await create();
    const edited = await call(OWNER)(`/api/v1/giveaways/${g.id}`, {
      method: 'PUT',
      json: { title: 'New title', prizes: [{ title: 'Gift', quantity: 2 }] },
    });
    expect(edited.status).toBe(200);
    const view = await json(edited);
    expect(view).toMatchObject({ title: 'New title', prizes: [{ title: 'Gift', quantity: 2 }] });
    expect(view.version).toBeGreaterThan(g.version);
    expect(
      (await call(BOB)(`/api/v1/giveaways/${g.id}`, { method: 'PUT', json: { title: 'x' } })).status,
    ).toBe(403);
    await db.pool.query(`UPDATE giveaways SET started_at = now() - interval '6 minutes' WHERE id = $1`, [
      g.id,
    ]);
    expect(
      (await call(OWNER)(`/api/v1/giveaways/${g.id}`, { method: 'PUT', json: { title: 'late' } })).status,
    ).toBe(409);
  });

  it('deletes for the owner only, and recreates a finished giveaway as a new active copy', async () => {
    const g = await create({ requirements: [{ type: 'premium' }], prizes: [{ title: 'P', quantity: 2 }] });
    expect((await call(BOB)(`/api/v1/giveaways/${g.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await call(OWNER)(`/api/v1/giveaways/${g.id}/recreate`, { method: 'POST' })).status).toBe(409);
    await db.pool.query(`UPDATE giveaways SET status = 'completed' WHERE id = $1`, [g.id]);
    const copy = await call(OWNER)(`/api/v1/giveaways/${g.id}/recreate`, { method: 'POST' });
    expect(copy.status).toBe(201);
    const view = await json(copy);
    expect(view).toMatchObject({ status: 'active', title: g.title, prizes: [{ title: 'P', quantity: 2 }] });
    expect(view.id).not.toBe(g.id);
    expect(view.requirements).toHaveLength(1);
    expect(view.seed_commitment).not.toBe(g.seed_commitment);
    expect((await call(OWNER)(`/api/v1/giveaways/${g.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(OWNER)(`/api/v1/giveaways/${g.id}`)).status).toBe(404);
  });
});

describe('joining', () => {
  it('is idempotent, refuses the creator, a full giveaway and anyone after ends_at', async () => {
    const g = await create({ winners_count: 1, max_participants: 1 });
    const join = (u: { id: number }) => call(u)(`/api/v1/giveaways/${g.id}/join`, { method: 'POST' });
    expect(await json(await join(BOB))).toEqual({ status: 'joined' });
    expect(await json(await join(BOB))).toEqual({ status: 'already_joined' });
    const own = await join(OWNER);
    expect(own.status).toBe(403);
    const full = await join(CAROL);
    expect(full.status).toBe(409);
    expect(await json(full)).toMatchObject({ code: 'GIVEAWAY_FULL' });

    const ended = await create();
    await db.pool.query(`UPDATE giveaways SET ends_at = clock_timestamp() WHERE id = $1`, [ended.id]);
    const late = await call(BOB)(`/api/v1/giveaways/${ended.id}/join`, { method: 'POST' });
    expect(late.status).toBe(409);
    expect(await json(late)).toMatchObject({ code: 'GIVEAWAY_CLOSED' });
    const count = await db.pool.query('SELECT participants_count FROM giveaways WHERE id = $1', [ended.id]);
    expect(count.rows[0].participants_count).toBe(0);
  });

  it('refuses a user who fails a requirement, with per-requirement results', async () => {
    const g = await create({ requirements: [{ type: 'premium' }] });
    const res = await call(BOB)(`/api/v1/giveaways/${g.id}/join`, { method: 'POST' });
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body).toMatchObject({ code: 'REQUIREMENTS_NOT_MET' });
    expect(body.details.results).toEqual([expect.objectContaining({ type: 'premium', status: 'failed' })]);
    expect((await call(CAROL)(`/api/v1/giveaways/${g.id}/join`, { method: 'POST' })).status).toBe(200);
    const check = await json(await call(BOB)(`/api/v1/giveaways/${g.id}/check-requirements`));
    expect(check).toMatchObject({
      giveaway_id: g.id,
      all_met: false,
      results: [expect.objectContaining({ type: 'premium', status: 'failed' })],
    });
  });
});

describe('tickets', () => {
  it('lets admins grant tickets to participants of giveaways that allow them', async () => {
    const g = await create({ allow_tickets: true });
    const grant = (u: { id: number }, body: Json) =>
      call(u)(`/api/v1/giveaways/${g.id}/tickets`, { method: 'POST', json: body });
    expect((await grant(ADMIN, { user_id: BOB.id, ticket_count: 2 })).status).toBe(409); // not a participant yet
    await call(BOB)(`/api/v1/giveaways/${g.id}/join`, { method: 'POST' });
    expect((await grant(OWNER, { user_id: BOB.id, ticket_count: 2 })).status).toBe(403);
    expect(await json(await grant(ADMIN, { user_id: BOB.id, ticket_count: 2 }))).toMatchObject({
      tickets: 2,
      weight: 3,
    });
    expect(await json(await grant(ADMIN, { user_id: BOB.id, ticket_count: 1 }))).toMatchObject({
      tickets: 3,
      weight: 4,
    });
    expect((await grant(ADMIN, { user_id: BOB.id, ticket_count: 0 })).status).toBe(400);
    const noTickets = await create();
    await call(BOB)(`/api/v1/giveaways/${noTickets.id}/join`, { method: 'POST' });
    const refused = await call(ADMIN)(`/api/v1/giveaways/${noTickets.id}/tickets`, {
      method: 'POST',
      json: { user_id: BOB.id, ticket_count: 1 },
    });
    expect(refused.status).toBe(409);
  });
});
