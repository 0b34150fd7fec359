// Winners, win records, proofs, prizes, requirements, sponsors, channels, users, participants and tickets,
// checked on the fixture keyspace imported once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReportJson } from '../../server/legacy-import/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { importFrom, startLegacyRedis, type LegacyRedis } from './harness.ts';
import { CHAN, DAY, G, HOUR, P, T0, uuid, writeLegacyFixture } from './legacy-fixture.ts';

let db: TestDatabase;
let redis: LegacyRedis;
let report: ImportReportJson;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase(), startLegacyRedis()]);
  await writeLegacyFixture(redis.client);
  report = await importFrom(redis.url, db.pool);
});
afterAll(async () => {
  await Promise.all([db?.drop(), redis?.stop()]);
});

const rows = async (sql: string, ...params: unknown[]) => (await db.pool.query(sql, params)).rows;

describe('participants and users', () => {
  it('imports participants from the set, not the over-counting counter', async () => {
    const ps = await rows(
      'SELECT user_id::int, source, joined_at FROM participants WHERE giveaway_id = $1 ORDER BY 1',
      G.active,
    );
    expect(ps.map((p) => p.user_id)).toEqual([1001, 1002, 2001]);
    expect(ps.every((p) => p.source === 'import')).toBe(true);
    const [g] = await rows('SELECT participants_count, created_at FROM giveaways WHERE id = $1', G.active);
    expect(g.participants_count).toBe(3);
    expect(ps[0].joined_at).toEqual(g.created_at);
    expect(report.source_checks.participant_counter_drift).toBe(1);
    expect(report.skipped.items).toContainEqual({
      key: `giveaway:${G.active}:participants`,
      reason: 'invalid_user_id',
      detail: 'xyz',
    });
  });

  it('imports user records and makes placeholders for users known only by id', async () => {
    const users = await rows(
      'SELECT id::int, username, first_name, role, status, created_at FROM users ORDER BY id',
    );
    const byId = new Map(users.map((u) => [u.id, u]));
    expect(byId.get(1001)).toMatchObject({
      username: 'user1001',
      first_name: 'First1001',
      role: 'user',
      status: 'active',
    });
    expect(byId.get(1001).created_at.getTime()).toBe(T0.getTime() - DAY);
    expect(byId.get(1002).role).toBe('admin');
    expect(byId.get(1003).status).toBe('banned');
    expect(byId.get(1004).username).toBeNull(); // "bad name!" is no Telegram username
    for (const id of [2001, 2002, 2003, 2004, 2050])
      expect(byId.get(id)).toMatchObject({ username: null, first_name: '' });
    expect(report.imported.users).toBe(5);
    expect(report.imported.placeholder_users).toBe(5);
  });

  it('imports tickets of participants only', async () => {
    expect(await rows('SELECT user_id::int, count FROM tickets WHERE giveaway_id = $1', G.active)).toEqual([
      { user_id: 1001, count: 3 },
    ]);
    const reasons = report.skipped.items
      .filter((i) => i.key === `giveaway:${G.active}:tickets`)
      .map((i) => i.reason)
      .sort();
    expect(reasons).toEqual(['invalid_ticket_count', 'invalid_user_id', 'ticket_holder_not_participant']);
  });
});

describe('winners, win records and proofs', () => {
  it('takes winners from the winners key and prizes from the legacy win records', async () => {
    expect(
      await rows(
        'SELECT place, user_id::int, source FROM winners WHERE giveaway_id = $1 ORDER BY place',
        G.completed,
      ),
    ).toEqual([
      { place: 1, user_id: 1001, source: 'import' },
      { place: 2, user_id: 2002, source: 'import' },
    ]);
    const records = await rows(
      `SELECT r.id, r.user_id::int, r.place, r.prize_id, r.prize_title, r.prize_description, r.quantity, r.status,
         r.received_at, gp.position FROM win_records r LEFT JOIN giveaway_prizes gp ON gp.id = r.giveaway_prize_id
       WHERE r.giveaway_id = $1 ORDER BY r.place`,
      G.completed,
    );
    expect(records).toEqual([
      expect.objectContaining({
        id: uuid(0x301),
        user_id: 1001,
        prize_id: P.premium,
        prize_title: 'Telegram Premium',
        status: 'distributed',
        received_at: new Date(T0.getTime() + 3 * HOUR),
        position: 0,
      }),
      expect.objectContaining({
        id: uuid(0x302),
        user_id: 2002,
        prize_id: P.custom,
        prize_title: 'T-shirt',
        prize_description: 'Item: T-shirt',
        status: 'pending',
        position: 1,
      }),
    ]);
  });

  it('falls back to win records when a ticket draw left no (readable) winners key', async () => {
    expect(
      await rows('SELECT place, user_id::int FROM winners WHERE giveaway_id = $1 ORDER BY place', G.tickets),
    ).toEqual([
      { place: 1, user_id: 1004 },
      { place: 2, user_id: 2003 },
    ]);
    const records = await rows(
      'SELECT id, place, prize_title FROM win_records WHERE giveaway_id = $1 ORDER BY place',
      G.tickets,
    );
    expect(records.map((r) => [r.place, r.prize_title])).toEqual([
      [1, 'Telegram Premium'],
      [2, 'Telegram Gift'],
    ]);
    expect(records[0].id).toBe(uuid(0x303));
    expect(report.skipped.items).toContainEqual(
      expect.objectContaining({ key: `giveaway:${G.tickets}:winners`, reason: 'corrupt_json' }),
    );
  });

  it('publishes an imported proof that lists the winners and claims no randomness', async () => {
    const [proof] = await rows(
      'SELECT mode, entrants_root, entrants_count, bundle FROM draw_proofs WHERE giveaway_id = $1',
      G.completed,
    );
    expect(proof).toMatchObject({ mode: 'imported', entrants_root: null, entrants_count: 4 });
    expect(proof.bundle).toMatchObject({
      mode: 'imported',
      giveaway_id: G.completed,
      source: 'legacy-redis',
      winners_from: `giveaway:${G.completed}:winners`,
      entrants_count: 4,
      winners: [
        { place: 1, user_id: 1001 },
        { place: 2, user_id: 2002 },
      ],
    });
    expect(proof.bundle).not.toHaveProperty('server_seed');
    const [tickets] = await rows('SELECT bundle FROM draw_proofs WHERE giveaway_id = $1', G.tickets);
    expect(tickets.bundle.winners_from).toBe('win_record:*');
    const ids = (await rows('SELECT giveaway_id FROM draw_proofs ORDER BY 1')).map((r) => r.giveaway_id);
    expect(ids).toEqual([G.completed, G.tickets, G.pendingWon].sort());
  });
});

describe('prizes, requirements, sponsors and channels', () => {
  it('expands an "all" prize into one row per place, all linked to the one catalogue prize', async () => {
    const prizes = await rows(
      'SELECT position, place, prize_id, title, quantity FROM giveaway_prizes WHERE giveaway_id = $1 ORDER BY position',
      G.active,
    );
    expect(prizes).toEqual(
      [1, 2, 3].map((place) => ({
        position: place - 1,
        place,
        prize_id: P.all,
        title: 'Telegram Stars',
        quantity: 1,
      })),
    );
  });

  it('imports the prize catalogue, free-standing custom prizes included, and unlinks missing ones', async () => {
    const ids = (await rows('SELECT id FROM prizes ORDER BY id')).map((r) => r.id);
    expect(ids).toEqual([P.all, P.premium, P.custom, P.freeStanding, P.second].sort());
    const [missing] = await rows(
      'SELECT prize_id, title FROM giveaway_prizes WHERE giveaway_id = $1',
      G.processing,
    );
    expect(missing).toEqual({ prize_id: null, title: 'Telegram Stars' });
  });

  it('reads requirements in the array form and the legacy object form, and skips disabled ones', async () => {
    const reqs = async (id: string) =>
      rows(
        'SELECT type, channel_id::text, channel_username, name, description FROM requirements WHERE giveaway_id = $1 ORDER BY position',
        id,
      );
    expect(await reqs(G.active)).toEqual([
      {
        type: 'subscription',
        channel_id: null,
        channel_username: 'titled_chan',
        name: null,
        description: null,
      },
      {
        type: 'boost',
        channel_id: String(CHAN.info),
        channel_username: null,
        name: 'Info channel',
        description: null,
      },
    ]);
    expect(await reqs(G.completed)).toEqual([
      expect.objectContaining({ type: 'subscription', channel_username: 'titled_chan' }),
    ]);
    expect(await reqs(G.custom)).toEqual([
      expect.objectContaining({ type: 'custom', name: 'Post a photo', description: 'Post a photo' }),
    ]);
    expect(await reqs(G.disabledReqs)).toEqual([]);
    expect(report.skipped.items).toContainEqual({
      key: `giveaway:${G.disabledReqs}`,
      reason: 'requirements_disabled',
      detail: '1 requirement(s)',
    });
  });

  it('imports sponsors, channels and who may use them', async () => {
    expect(
      await rows('SELECT sponsor_id::text, position FROM giveaway_sponsors WHERE giveaway_id = $1', G.active),
    ).toEqual([{ sponsor_id: String(CHAN.titled), position: 0 }]);
    const channels = await rows(
      'SELECT id::text, title, username, invite_url, bot_status FROM channels ORDER BY channels.id DESC',
    );
    expect(channels).toEqual([
      {
        id: String(CHAN.titled),
        title: 'Titled channel',
        username: 'titled_chan',
        invite_url: null,
        bot_status: 'administrator',
      },
      {
        id: String(CHAN.info),
        title: 'Info channel',
        username: 'info_chan',
        invite_url: 'https://t.me/info_chan',
        bot_status: 'administrator',
      },
      { id: String(CHAN.bare), title: '', username: null, invite_url: null, bot_status: 'administrator' },
    ]);
    expect(await rows('SELECT user_id::int, count(*)::int AS n FROM channel_admins GROUP BY 1')).toEqual([
      { user_id: 1001, n: 3 },
    ]);
  });
});
