// Every REST method of the SDK against the real server: giveaways, lists with cursor pagination, joins,
// tickets, requirements, API keys, users, exports, proofs, entrants and the manual-winners flow; errors carry
// the contract's code, the HTTP status and the request id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GiveawayError, verifyInclusion, type GiveawayClient } from '../src/index.ts';
import { ADMIN, closedGiveaway, giveawayBody, startSdkServer, type SdkServer } from './support.ts';

let server: SdkServer;
let owner: GiveawayClient;
const OWNER = { id: 101, username: 'owner' };
const people = [201, 202, 203].map((id) => ({ id, username: `user${id}` }));

beforeAll(async () => {
  server = await startSdkServer();
  owner = server.clientFor(OWNER);
});
afterAll(() => server?.stop());

async function failure(promise: Promise<unknown>): Promise<GiveawayError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GiveawayError);
  return err as GiveawayError;
}

describe('SDK REST surface', () => {
  it('reads the caller and the create-screen templates', async () => {
    expect(await owner.users.me()).toMatchObject({ id: OWNER.id, username: 'owner', status: 'active' });
    expect((await owner.templates.requirements()).map((t) => t.type)).toContain('custom');
    expect(Array.isArray(await owner.templates.prizes())).toBe(true);
  });

  it('creates, reads, edits, joins, checks requirements, grants tickets, recreates, cancels and deletes', async () => {
    const created = await owner.giveaways.create(giveawayBody({ allow_tickets: true }));
    expect(created).toMatchObject({ title: 'SDK giveaway', status: 'active', participants_count: 0 });
    expect((await owner.giveaways.get(created.id)).user_role).toBe('owner');
    expect((await owner.giveaways.update(created.id, { title: 'Renamed' })).title).toBe('Renamed');

    const alice = server.clientFor(people[0] ?? OWNER);
    expect(await alice.giveaways.join(created.id)).toEqual({ status: 'joined' });
    expect(await alice.giveaways.join(created.id)).toEqual({ status: 'already_joined' });
    expect(await alice.giveaways.checkRequirements(created.id)).toMatchObject({
      giveaway_id: created.id,
      all_met: true,
    });
    const admin = server.clientFor(ADMIN);
    expect(await admin.giveaways.grantTickets(created.id, { user_id: 201, ticket_count: 2 })).toMatchObject({
      tickets: 2,
      weight: 3,
    });

    const cancelled = await owner.giveaways.cancel(created.id);
    expect(cancelled.status).toBe('cancelled');
    const copy = await owner.giveaways.recreate(created.id);
    expect(copy).toMatchObject({ title: 'Renamed', status: 'active' });
    expect((await owner.giveaways.setStatus(copy.id, 'cancelled')).status).toBe('cancelled');
    await owner.giveaways.delete(copy.id);
    expect((await failure(owner.giveaways.get(copy.id))).code).toBe('NOT_FOUND');
  });

  it('pages through lists by following X-Next-Cursor', async () => {
    const lister = server.clientFor({ id: 150 });
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await lister.giveaways.create(giveawayBody({ title: `List ${i}` }))).id);
    const paged = lister.giveaways.listMine('all', { limit: 2 });
    const pages = [];
    for await (const page of paged.pages()) pages.push(page);
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages[0]?.nextCursor).toEqual(expect.any(String));
    const all = await paged.all();
    expect(all.map((g) => g.id).sort()).toEqual([...ids].sort());
    const seen = [];
    for await (const g of lister.giveaways.listByCreator(150, { limit: 3 })) seen.push(g.id);
    expect(seen.sort()).toEqual([...ids].sort());
    expect((await lister.giveaways.listMine('active', { limit: 10 }).all()).length).toBe(5);
    expect(await lister.giveaways.listMine('history').all()).toEqual([]);
    expect((await lister.giveaways.list({ limit: 2 }).all(3)).length).toBe(3);
    expect(await lister.giveaways.listByCreator(150, { finished: true }).all()).toEqual([]);
    const joiner = server.clientFor({ id: 151 });
    await joiner.giveaways.join(ids[0] ?? '');
    expect((await joiner.giveaways.listJoined('active').all()).map((g) => g.id)).toEqual([ids[0]]);
    expect(await joiner.giveaways.listJoined('history').all()).toEqual([]);
  });

  it('reports errors with the contract code, HTTP status, request id and details', async () => {
    const missing = await failure(owner.giveaways.get('00000000-0000-4000-8000-000000000000'));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404, retryable: false });
    expect(missing.requestId).toMatch(/^[\w.-]+$/);
    const invalid = await failure(owner.giveaways.create(giveawayBody({ winners_count: 0 })));
    expect(invalid).toMatchObject({ code: 'VALIDATION', status: 400 });
    expect(invalid.details).toBeDefined();
    const anonymous = server.clientFor(OWNER, { auth: null });
    expect(await failure(anonymous.users.me())).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });

    const banned = server.clientFor({ id: 160 });
    await banned.users.me();
    const admin = server.clientFor(ADMIN);
    expect(await admin.users.setStatus(160, 'banned')).toMatchObject({ id: 160, status: 'banned' });
    expect(await failure(banned.giveaways.create(giveawayBody()))).toMatchObject({
      code: 'USER_BANNED',
      status: 403,
    });
    await admin.users.setStatus(160, 'active');
    expect(await failure(banned.users.setStatus(160, 'banned'))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads the Telegram side: channels, the bot probe, avatar URLs, notification status', async () => {
    expect(await owner.channels.mine()).toEqual([]);
    expect(await owner.channels.checkBulk({ usernames: [] })).toEqual({ results: [] });
    expect(owner.channels.avatarUrl('@news')).toBe(`${server.app.url}/api/public/channels/%40news/avatar`);
    const { id } = await owner.giveaways.create(giveawayBody());
    expect(await owner.giveaways.notifications(id)).toMatchObject({ giveaway_id: id, items: [] });
    const stranger = server.clientFor({ id: 170 });
    expect(await failure(stranger.giveaways.notifications(id))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('creates, uses, lists and revokes API keys', async () => {
    const { key, id } = await owner.apiKeys.create('sdk test');
    expect(key).toEqual(expect.any(String));
    expect((await owner.apiKeys.list()).map((k) => k.id)).toContain(id);
    const byKey = server.clientFor(OWNER, { auth: { apiKey: key } });
    expect((await byKey.users.me()).id).toBe(OWNER.id);
    await owner.apiKeys.revoke(id);
    expect(await failure(byKey.users.me())).toMatchObject({ code: 'API_KEY_INVALID', status: 401 });
  });

  it('serves a drawn giveaway: proof, paged entrants, inclusion proofs, one-call verification, exports', async () => {
    const drawn = await closedGiveaway(server, owner, people);
    const bundle = await owner.draws.proof(drawn.id);
    expect(bundle).toMatchObject({
      protocol: 'giveaway-draw/v1',
      entrants_count: 3,
      seed_commitment: drawn.seed_commitment,
    });
    const pages = [];
    for await (const page of owner.draws.entrants(drawn.id, { limit: 2 }).pages())
      pages.push(page.items.length);
    expect(pages).toEqual([2, 1]);
    expect(await owner.draws.entrants(drawn.id).all()).toEqual([
      { user_id: 201, weight: 1 },
      { user_id: 202, weight: 1 },
      { user_id: 203, weight: 1 },
    ]);
    const mine = await server.clientFor(people[1] ?? OWNER).draws.inclusionProof(drawn.id);
    expect(mine.user_id).toBe(202);
    expect(verifyInclusion(mine, bundle.entrants_root)).toBe(true);
    expect((await owner.draws.inclusionProof(drawn.id, 203)).index).toBe(2);
    const report = await owner.draws.verify(drawn.id, {
      published: { seed_commitment: drawn.seed_commitment },
    });
    expect(report).toMatchObject({ ok: true, mode: 'random', failedStep: null });
    expect(report.winners.map((w) => Number(w.user_id)).sort()).toEqual(
      drawn.winners.map((w) => w.user_id).sort(),
    );

    const csv = await owner.exports.csv(drawn.id);
    expect(csv).toContain('place,user_id,username');
    const link = await owner.exports.link(drawn.id);
    expect(link.expires_in).toBeGreaterThan(0);
    const once = `${server.app.url}${new URL(link.url).pathname}`;
    expect(await owner.exports.download(once)).toBe(csv);
    expect(await failure(owner.exports.download(once))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(owner.draws.proof('00000000-0000-4000-8000-000000000000'))).toMatchObject({
      code: 'NOT_FOUND',
    });

    // One request for the whole list (NDJSON), the way verify() loads large draws.
    expect(await owner.draws.allEntrants(drawn.id)).toEqual(await owner.draws.entrants(drawn.id).all());
    const first = drawn.winners.find((w) => w.place === 1);
    const reroll = await owner.draws.reroll(drawn.id, 1, {
      reason: 'unclaimed',
      replaced_user_id: first?.user_id,
    });
    expect(reroll).toMatchObject({
      place: 1,
      replaced_user_id: first?.user_id,
      from: 'reserve',
      reason: 'unclaimed',
    });
    const after = await owner.draws.verify(drawn.id);
    expect(after).toMatchObject({ ok: true });
    expect(after.steps.find((s) => s.step === 'rerolls')?.message).toContain('1 rerolls');
    expect(after.winners.find((w) => w.place === 1)?.user_id).toBe(String(reroll.by_user_id));
    const again = await failure(
      owner.draws.reroll(drawn.id, 1, { reason: 'unclaimed', replaced_user_id: first?.user_id }),
    );
    expect(again.code).toBe('CONFLICT');
  });

  it('lets a client without credentials read and verify a draw through the public routes', async () => {
    const drawn = await closedGiveaway(server, owner, [{ id: 211 }, { id: 212 }]);
    const viewer = server.clientFor(OWNER, { auth: null });
    expect(await viewer.draws.commitment(drawn.id)).toMatchObject({
      seed_commitment: drawn.seed_commitment,
      drawn: true,
    });
    expect(await viewer.draws.verify(drawn.id)).toMatchObject({ ok: true });
    const proof = await viewer.draws.inclusionProof(drawn.id, 212);
    expect(verifyInclusion(proof, (await viewer.draws.proof(drawn.id)).entrants_root)).toBe(true);
  });

  it('runs the manual-winners flow: upload text and files, preview, list, clear, finalise, verify', async () => {
    const pending = await closedGiveaway(
      server,
      owner,
      people,
      { requirements: [{ type: 'custom', name: 'Follow the stream' }] },
      'pending',
    );
    const uploaded = await owner.draws.uploadManualCandidates(pending.id, '201\n@user203');
    expect(uploaded.results.map((r) => r.user_id)).toEqual([201, 203]);
    expect(await owner.draws.loadedWinners(pending.id)).toEqual(uploaded);
    const preview = await owner.draws.previewManualCandidates(
      new Blob(['202'], { type: 'text/plain' }),
      pending.id,
    );
    expect(preview.results.map((r) => r.user_id)).toEqual([202]);
    await owner.draws.clearLoadedWinners(pending.id);
    expect(await owner.draws.loadedWinners(pending.id)).toEqual({ results: [] });
    const file = new File(['202\n203\n'], 'winners.txt', { type: 'text/plain' });
    expect(
      (await owner.draws.uploadManualCandidates(pending.id, file)).results.map((r) => r.user_id),
    ).toEqual([202, 203]);
    const outsider = server.clientFor(people[0] ?? OWNER);
    expect(await failure(outsider.draws.uploadManualCandidates(pending.id, '201'))).toMatchObject({
      code: 'FORBIDDEN',
    });

    expect((await owner.giveaways.setStatus(pending.id, 'completed')).status).toBe('completed');
    const report = await owner.draws.verify(pending.id);
    expect(report).toMatchObject({ ok: true, mode: 'manual', claimsRandomness: false });
    expect(report.winners.map((w) => w.user_id)).toEqual(['202', '203']);
  });
});
