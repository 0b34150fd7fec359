// Claim windows through the SDK against the real server (all roles): a winner claims with
// client.giveaways.claim, the owner extends a window with client.draws.extendClaim, watchers get `claimed` and
// `winnerChanged` as the deadline passes a place to the next reserve, and verifyDraw's place chains show that
// the replacement was the next reserve of the proof.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GiveawayError,
  verifyDraw,
  type ClaimedEvent,
  type GiveawayClient,
  type WinnerChangedEvent,
} from '../src/index.ts';
import { closedGiveaway, startSdkServer, type SdkServer } from './support.ts';
import { passClaimDeadline } from '../../test/support/claim-deadline.ts';

let server: SdkServer;
let owner: GiveawayClient;
const OWNER = { id: 401, username: 'claimowner' };
const people = [411, 412, 413, 414, 415].map((id) => ({ id, username: `user${id}` }));

beforeAll(async () => {
  server = await startSdkServer();
  owner = server.clientFor(OWNER);
});
afterAll(() => server?.stop());

describe('SDK claims', () => {
  it('claims, extends, watches the deadline pass a place on, and verifies the chain', async () => {
    const view = await closedGiveaway(server, owner, people, {
      winners_count: 2,
      reserves_count: 1,
      claim_window: 600,
    });
    expect(view.claim_window).toBe(600);
    expect(view.winners.every((w) => w.claim_deadline !== null && w.claimed_at === null)).toBe(true);
    const [first, second] = view.winners;
    if (!first || !second) throw new Error('two winners expected');
    const byId = (id: number) => people.find((p) => p.id === id) ?? OWNER;

    const claimed: ClaimedEvent[] = [];
    const changed: WinnerChangedEvent[] = [];
    const watch = owner.watch(view.id, {
      claimed: (e) => claimed.push(e),
      winnerChanged: (e) => changed.push(e),
    });
    await watch.ready();

    const winner = server.clientFor(byId(first.user_id));
    expect(await winner.giveaways.claim(view.id)).toMatchObject({ place: first.place, status: 'claimed' });
    expect(await winner.giveaways.claim(view.id)).toMatchObject({ status: 'already_claimed' });
    await expect.poll(() => claimed.length, { timeout: 15_000 }).toBe(1);
    expect(claimed[0]).toMatchObject({ giveaway_id: view.id, place: first.place, user_id: first.user_id });

    const extended = await owner.draws.extendClaim(view.id, second.place, { seconds: 3600 });
    expect(Date.parse(extended.claim_deadline)).toBeGreaterThan(Date.parse(second.claim_deadline ?? ''));
    const twice = await owner.draws.extendClaim(view.id, second.place).catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(GiveawayError);
    expect((twice as GiveawayError).code).toBe('CONFLICT');

    // The deadline passes (moved into the past: windows are at least 10 minutes); the worker passes it on.
    await passClaimDeadline(server.db.pool, view.id, [second.place]);
    await expect.poll(() => changed.length, { timeout: 15_000 }).toBe(1);
    const proof = await owner.draws.proof(view.id);
    const reserve = Number((proof as { reserves: number[] }).reserves[0]);
    expect(changed[0]).toMatchObject({
      place: second.place,
      previous_user_id: second.user_id,
      user_id: reserve,
      reason: 'unclaimed',
    });
    const late = await server
      .clientFor(byId(second.user_id))
      .giveaways.claim(view.id)
      .catch((e: unknown) => e);
    expect((late as GiveawayError).code).toBe('CONFLICT');

    const report = await owner.draws.verify(view.id);
    expect(report.ok).toBe(true);
    expect(report.places.find((p) => p.place === second.place)?.holders).toEqual([
      { user_id: String(second.user_id), via: 'draw' },
      { user_id: String(reserve), via: 'reserve', reason: 'unclaimed' },
    ]);
    // The same check from the public proof alone, as anyone would make it.
    const entrants = await owner.draws.allEntrants(view.id);
    expect((await verifyDraw(proof, entrants)).places).toEqual(report.places);
    await watch.close();
  });
});
