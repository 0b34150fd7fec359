// Claim windows: a winner claims the place they hold (Mini App, SDK, the DM's Claim button), the creator may
// extend one holder's window once, and the deadline scan gives each unclaimed place to the next reserve or
// leaves it empty. Each decision is one transaction holding the giveaway row and then the winner row, so a
// claim racing the deadline has exactly one outcome, and two nodes scanning at once reroll a place once.
import * as db from 'zapatos/db';
import type pg from 'pg';
import type {
  ClaimResult,
  ExtendClaimBody,
  ExtendClaimResult,
  PublicClaimsResponse,
} from '../../../schema/contract/draws.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { DrawPrincipal, JobEnqueuer, WebhookPublisher } from '../ports/index.ts';
import { writeReroll } from '../rerolls/reroll.queries.ts';
import * as q from './claims.queries.ts';
import { isRandomBundle, unclaimedReroll } from './next-reserve.ts';
import { recordClaim, recordPlaceChange } from './place-events.ts';

export interface ClaimWindowsDeps {
  pool: pg.Pool;
  jobs: JobEnqueuer;
  webhooks: WebhookPublisher;
  logger: Logger;
}

/** What one pass of the deadline scan did. */
export interface ExpiryReport {
  /** Places given to the next reserve. */
  rerolled: number;
  /** Places left empty: no reserve was left. */
  vacated: number;
  /** Due places another transaction settled first (claimed, extended, rerolled elsewhere). */
  skipped: number;
  failed: number;
}

export type ExpiryOutcome = 'rerolled' | 'vacated' | 'skipped';

export class ClaimWindows {
  private readonly log: Logger;

  constructor(private readonly deps: ClaimWindowsDeps) {
    this.log = deps.logger.child({ module: 'claim-windows' });
  }

  async claim(principal: DrawPrincipal & { isBanned?: boolean }, giveawayId: string): Promise<ClaimResult> {
    if (principal.isBanned) throw new AppError('USER_BANNED', 'Your account is banned.');
    return db.readCommitted(this.deps.pool, async (tx) => {
      const g = await q.lockGiveaway(tx, giveawayId);
      if (!g) throw new AppError('NOT_FOUND', 'No such giveaway.');
      if (g.status !== 'completed') throw new AppError('CONFLICT', 'This giveaway has not been drawn yet.');
      const held = await q.lockPlace(tx, giveawayId, { userId: principal.userId });
      if (!held) {
        const lost = await q.selectLostPlace(tx, giveawayId, principal.userId);
        if (lost === undefined) throw new AppError('FORBIDDEN', 'You do not hold a place in this giveaway.');
        throw new AppError('CONFLICT', `The claim window has closed: place ${lost} passed on.`, {
          place: lost,
        });
      }
      const result = { giveaway_id: giveawayId, place: held.place };
      if (held.claimedAt) {
        return { ...result, status: 'already_claimed', claimed_at: held.claimedAt.toISOString() };
      }
      if (!held.deadline) throw new AppError('CONFLICT', 'This giveaway does not ask winners to claim.');
      if (held.expired) {
        throw new AppError('CONFLICT', 'The claim window has closed.', {
          claim_deadline: held.deadline.toISOString(),
        });
      }
      const claimedAt = await q.markClaimed(tx, giveawayId, held.place);
      await recordClaim(tx, this.deps.webhooks, { giveawayId, place: held.place, userId: principal.userId });
      return { ...result, status: 'claimed', claimed_at: claimedAt.toISOString() };
    });
  }

  async extend(
    principal: DrawPrincipal,
    giveawayId: string,
    place: number,
    body: ExtendClaimBody,
  ): Promise<ExtendClaimResult> {
    return db.readCommitted(this.deps.pool, async (tx) => {
      const g = await q.lockGiveaway(tx, giveawayId);
      if (!g) throw new AppError('NOT_FOUND', 'No such giveaway.');
      if (g.creatorId !== principal.userId && !principal.isAdmin) {
        throw new AppError('FORBIDDEN', 'Only the creator can extend a claim window.');
      }
      const held = await q.lockPlace(tx, giveawayId, { place });
      if (g.status !== 'completed' || !held) {
        throw new AppError('NOT_FOUND', `There is no winner at place ${place}.`);
      }
      if (!held.deadline || g.claimWindow === null) {
        throw new AppError('CONFLICT', 'This giveaway does not ask winners to claim.');
      }
      if (held.claimedAt) throw new AppError('CONFLICT', `Place ${place} was already claimed.`);
      if (held.extendedAt) {
        throw new AppError('CONFLICT', `The window of place ${place} was already extended once.`);
      }
      if (held.expired) throw new AppError('CONFLICT', `The window of place ${place} has already closed.`);
      const moved = await q.extendDeadline(tx, giveawayId, place, body.seconds ?? g.claimWindow);
      await q.bumpContentVersion(tx, giveawayId);
      return {
        giveaway_id: giveawayId,
        place,
        user_id: held.userId,
        claim_deadline: moved.deadline.toISOString(),
        claim_extended_at: moved.extendedAt.toISOString(),
      };
    });
  }

  /** Public: each place's holder and claim state (the verify page follows each place with it). */
  async places(giveawayId: string): Promise<PublicClaimsResponse> {
    const g = await q.selectClaimWindow(this.deps.pool, giveawayId);
    if (!g) throw new AppError('NOT_FOUND', 'No such giveaway.');
    const rows = g.status === 'completed' ? await q.selectPlaces(this.deps.pool, giveawayId) : [];
    return {
      giveaway_id: giveawayId,
      claim_window: g.claimWindow,
      places: rows.map((r) => ({
        place: r.place,
        user_id: r.user_id === null ? null : Number(r.user_id),
        claim_deadline: r.claim_deadline ? r.claim_deadline.toISOString() : null,
        claimed_at: r.claimed_at ? r.claimed_at.toISOString() : null,
        vacant: r.user_id === null,
      })),
    };
  }

  /** One pass of the deadline scan over at most `limit` due places. Safe on any number of nodes at once. */
  async expireDue(limit = 50): Promise<ExpiryReport> {
    const report: ExpiryReport = { rerolled: 0, vacated: 0, skipped: 0, failed: 0 };
    for (const due of await q.selectDueClaims(this.deps.pool, limit)) {
      try {
        report[await this.expire(due.giveawayId, due.place)] += 1;
      } catch (err) {
        report.failed += 1;
        this.log.error({ err, ...due }, 'Could not pass on an unclaimed place; retrying on the next pass');
      }
    }
    return report;
  }

  /** Decides one due place under its locks: the state read there, not the scan's, is what counts. */
  async expire(giveawayId: string, place: number): Promise<ExpiryOutcome> {
    return db.readCommitted(this.deps.pool, async (tx) => {
      const g = await q.lockGiveaway(tx, giveawayId);
      const held = g && (await q.lockPlace(tx, giveawayId, { place }));
      if (!g || g.status !== 'completed' || !held || held.claimedAt || !held.expired) return 'skipped';
      const next = g.bundle && isRandomBundle(g.bundle) ? unclaimedReroll(g.bundle, place) : null;
      if (next && Number(next.reroll.replaced_user_id) !== held.userId) {
        // The proof and the winners table disagree: never extend a proof from a state it does not describe.
        this.log.error({ giveawayId, place }, 'Proof and winners disagree; not rerolling the place');
        throw new Error(`place ${place} of ${giveawayId}: proof and winners disagree`);
      }
      if (!next) {
        await q.vacatePlace(tx, giveawayId, place);
        await recordPlaceChange(tx, this.deps.webhooks, {
          giveawayId,
          place,
          previousUserId: held.userId,
          userId: null,
          reason: 'unclaimed',
        });
        return 'vacated';
      }
      const byUserId = Number(next.reroll.by_user_id);
      const prizes = await writeReroll(tx, {
        giveawayId,
        place,
        byUserId,
        bundle: next.bundle,
        log: {
          seq: next.bundle.rerolls.length,
          replacedUserId: held.userId,
          reason: 'unclaimed',
          note: null,
          source: 'reserve',
          actorId: null,
        },
      });
      await this.deps.jobs.enqueue(
        tx,
        'notify-winner',
        { giveaway_id: giveawayId, user_id: byUserId, place, prizes, reroll: true },
        { singletonKey: `${giveawayId}:winner:${byUserId}` },
      );
      await recordPlaceChange(tx, this.deps.webhooks, {
        giveawayId,
        place,
        previousUserId: held.userId,
        userId: byUserId,
        reason: 'unclaimed',
      });
      return 'rerolled';
    });
  }
}
