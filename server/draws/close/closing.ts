// Closing (phase 1): closes due giveaways in short transactions, freezing their entrants, and publishes their
// entrant roots right after. Any number of nodes may close at once: row locks with SKIP LOCKED keep the work
// single. Drawing is ../execution's.
import * as db from 'zapatos/db';
import type pg from 'pg';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { JobEnqueuer } from '../ports/index.ts';
import { commitEntrants } from '../commitment/index.ts';
import { EntrantRangeReaders, type FrozenEntrantsStore } from '../entrants/index.ts';
import type { EntrantColumns, FrozenEntrants } from '../protocol/index.ts';
import { closeLockedGiveaway, type ClosedAs } from './close-giveaway.ts';
import { activateScheduled, lockGiveaway, lockNextDueGiveaway, startFallbackDraws } from './close.queries.ts';

export interface ClosingDeps {
  pool: pg.Pool;
  logger: Logger;
  jobs: JobEnqueuer;
  frozen: FrozenEntrantsStore;
  /** How long a pending giveaway waits for manual winners before its fallback draw. */
  manualWindowMs: number;
  /** Id ranges a large list is read in at once, each on its own connection (default 4; 1 reads it whole). */
  readParts?: number;
}

/** Where a giveaway stands after closeGiveaway: `drawing` means its draw is queued (or running elsewhere). */
export type CloseState = 'drawing' | 'pending' | 'completed' | 'not_due' | 'not_active';

export interface CloseReport {
  activated: number;
  closed: number;
  pending: number;
  fallbacks: number;
}

export class Closing {
  private readonly log: Logger;
  private readonly readers: EntrantRangeReaders;

  constructor(private readonly deps: ClosingDeps) {
    this.log = deps.logger;
    this.readers = new EntrantRangeReaders(deps.pool, deps.readParts ?? 4);
  }

  /** Starts the Merkle tree threads now, so the first close after boot does not wait for them. */
  warm(): void {
    this.deps.frozen.warm();
  }

  /** Closes the range readers' connections (they also end on their own once idle). */
  async stop(): Promise<void> {
    await this.readers.end();
  }

  /** Closes one giveaway now if it is due. */
  async closeGiveaway(giveawayId: string): Promise<CloseState> {
    const freeze = this.freezer();
    const state = await db.readCommitted(this.deps.pool, async (tx) => {
      const g = await lockGiveaway(tx, giveawayId, this.deps.manualWindowMs);
      if (!g) throw new AppError('NOT_FOUND', 'Giveaway not found.');
      if (g.status === 'active' && g.closedAt === null) {
        return g.due ? closeLockedGiveaway(tx, freeze.deps, g) : 'not_due';
      }
      if (g.status === 'active' || g.status === 'drawing') return 'drawing';
      return g.status === 'pending' || g.status === 'completed' ? g.status : 'not_active';
    });
    freeze.committed(giveawayId);
    if (state === 'drawing' || state === 'pending') await this.publishEntrants(giveawayId);
    return state;
  }

  /** The fast part (short transactions only): activations, closes and fallbacks, so closes are on time. */
  async closeDue(limit = 50): Promise<CloseReport> {
    const report: CloseReport = { activated: 0, closed: 0, pending: 0, fallbacks: 0 };
    report.activated = (await activateScheduled(this.deps.pool, limit)).length;
    const failed: string[] = [];
    while (report.closed + report.pending < limit) {
      let id: string | undefined;
      let as: ClosedAs | null;
      const freeze = this.freezer();
      try {
        as = await db.readCommitted(this.deps.pool, async (tx) => {
          const g = await lockNextDueGiveaway(tx, this.deps.manualWindowMs, failed);
          id = g?.id;
          return g ? closeLockedGiveaway(tx, freeze.deps, g) : null;
        });
        if (id !== undefined) freeze.committed(id);
      } catch (err) {
        // Skip it for the rest of this pass so one bad giveaway cannot hold up the others.
        if (id === undefined) throw err;
        this.log.error({ err, giveawayId: id }, 'Closing a giveaway failed; will retry');
        failed.push(id);
        continue;
      }
      if (as === null) break;
      report[as === 'pending' ? 'pending' : 'closed']++;
      if (id !== undefined) await this.publishEntrants(id);
    }
    report.fallbacks = (await startFallbackDraws(this.deps.pool, limit, this.deps.manualWindowMs)).length;
    return report;
  }

  /**
   * Closing's collaborators for one close transaction. The Merkle tree starts on worker threads as soon as the
   * frozen columns are read, while PostgreSQL still inserts them, and is cached only once the close commits:
   * publishing the root and the draw then use it without reading the list back.
   */
  private freezer() {
    let building: Promise<FrozenEntrants> | undefined;
    const started = performance.now();
    let readMs = NaN;
    return {
      deps: {
        jobs: this.deps.jobs,
        logger: this.log,
        readers: this.readers,
        onFrozen: (columns: EntrantColumns) => {
          readMs = Math.round(performance.now() - started);
          building = this.deps.frozen.freeze(columns);
          // Nobody awaits it if the close rolls back: a failed build must not become an unhandled rejection.
          building.catch(() => undefined);
        },
      },
      committed: (giveawayId: string) => {
        if (!building) return;
        this.deps.frozen.prime(giveawayId, building);
        const closedMs = Math.round(performance.now() - started);
        // Where a close's time goes (bench/draw-1m.bench.ts reads these at LOG_LEVEL=debug).
        building.then(
          (frozen) =>
            this.log.debug(
              {
                giveawayId,
                entrants: frozen.count,
                readMs,
                closeMs: closedMs,
                treeReadyMs: Math.round(performance.now() - started),
              },
              'Close timing',
            ),
          () => undefined,
        );
      },
    };
  }

  /**
   * §2: the entrant root and count become public right after close, before the draw asks for its beacon.
   * Best effort here (the draw itself publishes them first thing, and checks they did not change).
   */
  private async publishEntrants(giveawayId: string): Promise<void> {
    try {
      const entrants = await this.deps.frozen.get(giveawayId);
      await commitEntrants(this.deps.pool, giveawayId, entrants.root.toString('hex'), entrants.count);
    } catch (err) {
      this.log.error({ err, giveawayId }, 'Could not publish the entrant root at close; the draw will');
    }
  }
}
