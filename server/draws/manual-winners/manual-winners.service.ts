// The creator's own winners for a pending giveaway (custom requirement): upload or preview a list, show it,
// clear it, and finalise it into winners with a manual proof bundle. Owner or admin only, checked here.
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import * as db from 'zapatos/db';
import type { ManualCandidatesResponse, ManualFinalizeResult } from '../../../schema/contract/draws.ts';
import { assertTransition } from '../../giveaways/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { DrawPrincipal, JobEnqueuer } from '../ports/index.ts';
import { parseCandidateText } from './candidate-list.ts';
import { writeResult } from '../results/index.ts';
import { selectFrozenEntrants } from '../entrants/index.ts';
import {
  deleteList,
  resolveEntrants,
  resolveUsers,
  selectList,
  selectOwnedGiveaway,
  selectProfiles,
  upsertList,
  type OwnedGiveaway,
} from './manual-winners.queries.ts';
import { buildManualBundle, freezeEntrants } from '../protocol/index.ts';
import { selectPrizes } from '../results/index.ts';
import { toCandidateViews, type Candidate } from './winner-view.ts';

/** The most winners a giveaway can have (winners_count in schema/contract/giveaways.ts). */
const MAX_WINNERS = 1000;
/** Tokens looked up by a preview without a giveaway: room for unknown names without an unbounded lookup. */
const MAX_PREVIEW_TOKENS = 10 * MAX_WINNERS;

export interface ManualWinnersDeps {
  pool: pg.Pool;
  jobs: JobEnqueuer;
  /** Uniform integer in [0, max); crypto.randomInt unless a test pins it. */
  randomInt?: (max: number) => number;
}

export class ManualWinners {
  private readonly random: (max: number) => number;

  constructor(private readonly deps: ManualWinnersDeps) {
    this.random = deps.randomInt ?? ((max) => randomInt(max));
  }

  async upload(
    principal: DrawPrincipal,
    giveawayId: string,
    text: string,
  ): Promise<ManualCandidatesResponse> {
    const g = await this.owned(principal, giveawayId);
    assertPending(g);
    const candidates = this.cut(await this.resolve(giveawayId, g, text), g.winnersCount);
    if (candidates.length === 0) throw new AppError('VALIDATION', 'No valid winners in the list');
    await db.readCommitted(this.deps.pool, async (tx) => {
      // Re-checked under the row lock: finalising or the 24 h draw may have completed it meanwhile.
      const locked = await selectOwnedGiveaway(tx, giveawayId, true);
      if (locked) assertPending(locked);
      await upsertList(
        tx,
        giveawayId,
        candidates.map((c) => c.userId),
        candidates.map((c) => c.source),
      );
    });
    return this.view(candidates, giveawayId);
  }

  /**
   * Like upload, stores nothing. With a giveaway: its entrants, cut to its winners count. Without one (the Mini
   * App checks a file while the giveaway is still being set up, so there are no entrants yet): the users this
   * server knows, in list order and no more than a giveaway can have winners, so a preview is never a bulk
   * profile lookup; no prizes.
   */
  async preview(
    principal: DrawPrincipal,
    text: string,
    giveawayId?: string,
  ): Promise<ManualCandidatesResponse> {
    if (giveawayId !== undefined) {
      const g = await this.owned(principal, giveawayId);
      const candidates = this.cut(await this.resolve(giveawayId, g, text), g.winnersCount);
      return this.view(candidates, giveawayId);
    }
    const tokens = parseCandidateText(text).slice(0, MAX_PREVIEW_TOKENS);
    const found = await resolveUsers(this.deps.pool, ...split(tokens));
    return this.view(ordered(tokens, found).slice(0, MAX_WINNERS), null);
  }

  async list(principal: DrawPrincipal, giveawayId: string): Promise<ManualCandidatesResponse> {
    await this.owned(principal, giveawayId);
    const list = await selectList(this.deps.pool, giveawayId);
    if (!list) return { results: [] };
    return this.view(
      list.userIds.map((userId, i) => ({ userId, source: list.sources[i] ?? 'id' })),
      giveawayId,
    );
  }

  async clear(principal: DrawPrincipal, giveawayId: string): Promise<void> {
    assertPending(await this.owned(principal, giveawayId));
    await deleteList(this.deps.pool, giveawayId);
  }

  /** pending → completed with the uploaded list as winners (places in list order), in one transaction. */
  finalize(principal: DrawPrincipal, giveawayId: string): Promise<ManualFinalizeResult> {
    return db.readCommitted(this.deps.pool, async (tx) => {
      const g = await selectOwnedGiveaway(tx, giveawayId, true);
      assertOwner(principal, g);
      assertTransition(g.status, 'completed', 'owner');
      const list = await selectList(tx, giveawayId);
      if (!list || list.userIds.length === 0) throw new AppError('CONFLICT', 'Upload winners first');
      const entrants = freezeEntrants(await selectFrozenEntrants(tx, giveawayId));
      const bundle = buildManualBundle({
        giveawayId,
        entrants,
        winnersCount: g.winnersCount,
        picks: list.userIds.map((user_id) => ({ user_id, picked_at: list.createdAt })),
      });
      await writeResult(tx, this.deps.jobs, {
        giveawayId,
        creatorId: g.creatorId,
        winners: list.userIds,
        source: 'manual',
        bundle,
      });
      return { status: 'completed' as const, winners: list.userIds.length };
    });
  }

  private async owned(principal: DrawPrincipal, giveawayId: string): Promise<OwnedGiveaway> {
    const g = await selectOwnedGiveaway(this.deps.pool, giveawayId);
    assertOwner(principal, g);
    return g;
  }

  /** The list's entrants in list order, first mention of each user kept. */
  private async resolve(giveawayId: string, g: OwnedGiveaway, text: string): Promise<Candidate[]> {
    const tokens = parseCandidateText(text);
    const found = await resolveEntrants(this.deps.pool, giveawayId, g.frozen, ...split(tokens));
    return ordered(tokens, found);
  }

  /** Over the cap: a uniformly random subset (crypto Fisher–Yates), keeping the creator's order as places. */
  private cut(candidates: Candidate[], cap: number): Candidate[] {
    if (candidates.length <= cap) return candidates;
    const order = candidates.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.random(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const keep = new Set(order.slice(0, cap));
    return candidates.filter((_, i) => keep.has(i));
  }

  private async view(candidates: Candidate[], giveawayId: string | null): Promise<ManualCandidatesResponse> {
    const profiles = await selectProfiles(
      this.deps.pool,
      candidates.map((c) => c.userId),
    );
    const prizes = giveawayId === null ? null : await selectPrizes(this.deps.pool, giveawayId);
    return { results: toCandidateViews(candidates, profiles, prizes) };
  }
}

function assertOwner(principal: DrawPrincipal, g: OwnedGiveaway | undefined): asserts g is OwnedGiveaway {
  if (!g) throw new AppError('NOT_FOUND', 'Giveaway not found.');
  if (g.creatorId !== principal.userId && !principal.isAdmin) {
    throw new AppError('FORBIDDEN', 'Only the creator can manage winners of this giveaway.');
  }
}

function assertPending(g: OwnedGiveaway): void {
  if (g.status !== 'pending') {
    throw new AppError('CONFLICT', 'The winners list can be changed only while the giveaway is pending.', {
      status: g.status,
    });
  }
}

type Tokens = ReturnType<typeof parseCandidateText>;

function split(tokens: Tokens): [number[], string[]] {
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const t of tokens) {
    if (t.kind === 'id') ids.add(t.userId);
    else names.add(t.username);
  }
  return [[...ids], [...names]];
}

function ordered(tokens: Tokens, found: { ids: Set<number>; byUsername: Map<string, number> }): Candidate[] {
  const seen = new Set<number>();
  const out: Candidate[] = [];
  for (const t of tokens) {
    const userId =
      t.kind === 'id' ? (found.ids.has(t.userId) ? t.userId : undefined) : found.byUsername.get(t.username);
    if (userId === undefined || seen.has(userId)) continue;
    seen.add(userId);
    out.push({ userId, source: t.kind });
  }
  return out;
}
