import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProofBundle, type RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  ensureUsers,
  giveawayRow,
  jobsOf,
  makeService,
  servedEntrants,
  userIds,
  winRecordsOf,
  winnerIds,
  winnersOf,
} from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDrawsDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const OWNER = { userId: 42, isAdmin: false };
const STRANGER = { userId: 43, isAdmin: false };
const ADMIN = { userId: 900, isAdmin: true };

async function setUsername(id: number, username: string, first = '', last = '') {
  await db.pool.query(`UPDATE users SET username = $2, first_name = $3, last_name = $4 WHERE id = $1`, [
    id,
    username,
    first,
    last,
  ]);
}

describe('a giveaway with a custom requirement', () => {
  it('goes pending at close, tells the creator, and takes uploaded winners through to a manual proof', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(6);
    const [a, b, c, d] = people as [number, number, number, number];
    const outsider = userIds(1)[0] as number;
    const id = await createGiveaway(db.pool, {
      winners: 3,
      participants: people,
      requirements: ['custom'],
      prizes: [
        { title: 'Gold', place: 1 },
        { title: 'Sticker', quantity: 2 },
      ],
    });
    await setUsername(b, 'Bob_Builder', 'Bob', 'B');
    await setUsername(c, 'carol');
    await db.pool.query(`INSERT INTO users (id, username) VALUES ($1, 'outsider')`, [outsider]);

    expect(await service.execution.closeAndDraw(id)).toBe('pending');
    const row = await giveawayRow(db.pool, id);
    expect(row?.status).toBe('pending');
    expect((await jobsOf(db.pool, id)).map((j) => [j.name, j.data.kind])).toEqual([
      ['notify-creator', 'pending'],
    ]);

    // Ids and @usernames (any case), separators mixed; non-participants, junk and repeats are dropped.
    const text = `${a}\n@bob_builder, ${outsider};@outsider  junk!! ${a} @CAROL 99999999`;
    const uploaded = await service.manualWinners.upload(OWNER, id, text);
    expect(uploaded.results).toEqual([
      {
        user_id: a,
        name: `User ${a}`,
        avatar_url: '',
        source: 'id',
        prizes: [
          { title: 'Gold', description: '', quantity: 1 },
          { title: 'Sticker', description: '', quantity: 1 },
        ],
      },
      {
        user_id: b,
        username: 'Bob_Builder',
        name: 'Bob B',
        avatar_url: 'https://t.me/i/userpic/160/Bob_Builder.jpg',
        source: 'username',
        prizes: [{ title: 'Sticker', description: '', quantity: 1 }],
      },
      {
        user_id: c,
        username: 'carol',
        name: 'carol',
        avatar_url: 'https://t.me/i/userpic/160/carol.jpg',
        source: 'username',
      },
    ]);
    // No empty prizes array anywhere (the Mini App crashes on []).
    expect(uploaded.results[2]).not.toHaveProperty('prizes');
    expect(await service.manualWinners.list(OWNER, id)).toEqual(uploaded);
    expect((await giveawayRow(db.pool, id))?.status).toBe('pending');

    // Replace, clear, upload again.
    expect((await service.manualWinners.upload(OWNER, id, `${d}`)).results.map((r) => r.user_id)).toEqual([
      d,
    ]);
    await service.manualWinners.clear(OWNER, id);
    expect(await service.manualWinners.list(OWNER, id)).toEqual({ results: [] });
    await expect(service.manualWinners.finalize(OWNER, id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Upload winners first',
    });
    await service.manualWinners.upload(OWNER, id, `${c} ${a}`);

    expect(await service.manualWinners.finalize(OWNER, id)).toEqual({ status: 'completed', winners: 2 });
    expect(await winnersOf(db.pool, id)).toEqual([
      { place: 1, user_id: c, source: 'manual' },
      { place: 2, user_id: a, source: 'manual' },
    ]);
    // Gold is fixed to place 1; Sticker ×2 spreads over both.
    expect(await winRecordsOf(db.pool, id)).toEqual([
      { place: 1, user_id: c, title: 'Gold', quantity: 1 },
      { place: 1, user_id: c, title: 'Sticker', quantity: 1 },
      { place: 2, user_id: a, title: 'Sticker', quantity: 1 },
    ]);
    const bundle = await service.proofs.getProof(id);
    expect(bundle).toMatchObject({
      mode: 'manual',
      winners: [
        { place: 1, user_id: c },
        { place: 2, user_id: a },
      ],
    });
    expect(bundle).not.toHaveProperty('server_seed');
    expect(verifyProofBundle(bundle, await servedEntrants(service, id)).ok).toBe(true);
    const jobs = await jobsOf(db.pool, id);
    expect(jobs.filter((j) => j.name === 'notify-winner').map((j) => j.data.user_id)).toEqual([c, a]);
    expect(jobs.at(-1)?.data).toMatchObject({ kind: 'completed', mode: 'manual', winners: 2 });
    expect(await service.manualWinners.list(OWNER, id)).toEqual({ results: [] });

    await expect(service.manualWinners.finalize(OWNER, id)).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });

  it('cuts a list longer than winners_count to a random subset, keeping list order', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(10);
    const id = await createGiveaway(db.pool, { winners: 3, participants: people, requirements: ['custom'] });
    await service.execution.closeAndDraw(id);
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const { results } = await service.manualWinners.upload(OWNER, id, people.join('\n'));
      const ids = results.map((r) => r.user_id);
      expect(ids).toHaveLength(3);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      ids.forEach((x) => seen.add(x));
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('refuses strangers, lists without a participant, and uploads before the giveaway is pending', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(3);
    const id = await createGiveaway(db.pool, { winners: 1, participants: people, requirements: ['custom'] });
    await expect(service.manualWinners.upload(OWNER, id, `${people[0]}`)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await service.execution.closeAndDraw(id);

    await expect(service.manualWinners.upload(STRANGER, id, `${people[0]}`)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(service.manualWinners.list(STRANGER, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.manualWinners.clear(STRANGER, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.manualWinners.finalize(STRANGER, id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.manualWinners.upload(OWNER, id, '12345 @nobody')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'No valid winners in the list',
    });
    // An admin may act for the owner.
    expect((await service.manualWinners.upload(ADMIN, id, `${people[1]}`)).results).toHaveLength(1);
    await expect(
      service.manualWinners.upload(OWNER, '00000000-0000-4000-8000-000000000000', '1'),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('previews without storing', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(3);
    const id = await createGiveaway(db.pool, { winners: 2, participants: people, requirements: ['custom'] });
    await service.execution.closeAndDraw(id);
    const preview = await service.manualWinners.preview(OWNER, `${people[0]} ${people[1]}`, id);
    expect(preview.results.map((r) => r.user_id)).toEqual([people[0], people[1]]);
    expect(await service.manualWinners.list(OWNER, id)).toEqual({ results: [] });
    const anyUsers = await service.manualWinners.preview(ADMIN, `${people[2]} 77`);
    expect(anyUsers.results.map((r) => r.user_id)).toEqual([people[2]]);
  });

  it('previews a list without a giveaway for its creator-to-be: known users in list order, no prizes, nothing stored', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(3);
    await ensureUsers(db.pool, people);
    const creatorToBe = { userId: people[0] ?? 0, isAdmin: false };
    const preview = await service.manualWinners.preview(
      creatorToBe,
      `${people[2]}, 77\n${people[1]} ${people[2]}`,
    );
    expect(preview.results.map((r) => [r.user_id, r.source, 'prizes' in r])).toEqual([
      [people[2], 'id', false],
      [people[1], 'id', false],
    ]);
    const stored = await db.pool.query(
      `SELECT count(*)::int AS n FROM pre_winner_lists WHERE $1 = ANY(user_ids)`,
      [people[2]],
    );
    expect(stored.rows[0].n).toBe(0);
  });

  it('shows at most as many users as a giveaway can have winners in a preview without a giveaway', async () => {
    const service = makeService(db.pool, new TestEvaluator(), new TableJobs());
    const people = userIds(1_001);
    await ensureUsers(db.pool, people);
    const preview = await service.manualWinners.preview(OWNER, people.join(' '));
    expect(preview.results).toHaveLength(1_000);
    expect(preview.results.map((r) => r.user_id)).toEqual(people.slice(0, 1_000));
  });

  it('is drawn normally among those passing the other requirements once pending for 24 h', async () => {
    const evaluator = new TestEvaluator();
    const service = makeService(db.pool, evaluator, new TableJobs());
    const people = userIds(8);
    for (const p of people.slice(0, 4)) evaluator.failing.add(p);
    const id = await createGiveaway(db.pool, {
      winners: 2,
      participants: people,
      requirements: ['custom', 'premium'],
    });
    await service.execution.closeAndDraw(id);
    await service.manualWinners.upload(OWNER, id, `${people[0]}`); // never finalised
    expect((await service.execution.processDue()).fallbacks).toBe(0);

    await db.pool.query(`UPDATE giveaways SET pending_since = now() - interval '25 hours' WHERE id = $1`, [
      id,
    ]);
    const report = await service.execution.processDue();
    expect(report).toMatchObject({ fallbacks: 1, completed: 1 });
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    expect(bundle.mode).toBeUndefined();
    expect(winnerIds(bundle)).toHaveLength(2);
    expect(winnerIds(bundle).every((w) => !evaluator.failing.has(w))).toBe(true);
    expect((await winnersOf(db.pool, id)).map((w) => w.source)).toEqual(['draw', 'draw']);
    // The custom requirement is the creator's to judge: the evaluator never saw it.
    expect(verifyProofBundle(bundle, await servedEntrants(service, id)).ok).toBe(true);
    expect(await service.manualWinners.list(OWNER, id)).toEqual({ results: [] });
    await expect(service.manualWinners.finalize(OWNER, id)).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });
});
