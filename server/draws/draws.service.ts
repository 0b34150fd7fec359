// Closing and drawing: closes due giveaways (phase 1) and publishes their entrant roots, runs their draws under
// leases (phases 2–3, waiting for a committed drand round), starts the 24 h fallback of pending ones, serves
// proofs, entrants and inclusion proofs, rerolls winners, and fronts the manual-winners flow. Any number of
// nodes may call processDue at once: row locks with SKIP LOCKED and draw leases keep the work single.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import * as db from 'zapatos/db';
import type {
  DrawCommitmentResponse,
  EntrantsPage,
  InclusionProofResponse,
  ManualCandidatesResponse,
  ManualFinalizeResult,
  RerollBody,
  RerollResult,
} from '../../schema/contract/draws.ts';
import { MANUAL_WINNERS_WINDOW_MS } from '../giveaways/lifecycle.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import { closeLockedGiveaway, type ClosedAs } from './close-giveaway.ts';
import type { DrawPrincipal, JobEnqueuer, RequirementsEvaluator } from './collaborators.ts';
import { commitEntrants, createCommitment, type BeaconChoice, type Commitment } from './commitment.ts';
import type { BeaconSource } from './drand-relays.ts';
import { DrawRunner, type RunOutcome } from './draw-runner.ts';
import { entrantsNdjson } from './entrants-ndjson.ts';
import { FrozenEntrantsStore } from './frozen-entrants.ts';
import type { MerkleWorkers } from './merkle-workers.ts';
import { Rerolls } from './reroll.service.ts';
import {
  activateScheduled,
  claimDrawRuns,
  lockGiveaway,
  lockNextDueGiveaway,
  selectNextDueInMs,
  startFallbackDraws,
} from './draws.queries.ts';
import {
  proofExists,
  selectCommitmentSummary,
  selectEntrantsPage,
  selectProofBundle,
} from './entrants.queries.ts';
import { ManualWinners } from './manual-winners.service.ts';
import { findEntrantIndex, inclusionProof, type ProofBundle } from './protocol/index.ts';

export interface DrawServiceOptions {
  /** Requirement checks in flight per draw (default 8). */
  checkConcurrency?: number;
  /** Waits before re-asking about an `unknown` answer; then the pick is excluded as check_unavailable. */
  checkRetryDelaysMs?: readonly number[];
  /** How long a node owns a draw without renewing (default 30 s): a dead node's draw resumes after it. */
  leaseMs?: number;
  /** First retry delay of a failed draw, doubled per attempt up to a minute (default 2 s). */
  retryBaseMs?: number;
  /** Draws run at once by one runDueDraws call (default 2). */
  drawConcurrency?: number;
  /** How long a pending giveaway waits for manual winners (default 24 h). */
  manualWindowMs?: number;
}

export interface DrawServiceDeps {
  pool: pg.Pool;
  logger: Logger;
  requirements: RequirementsEvaluator;
  jobs: JobEnqueuer;
  /**
   * The drand relays (DrandRelays from DRAND_URLS). With one, new giveaways commit to a drand round unless they
   * ask for `beacon: "none"`; without one, `beacon: "drand"` is refused and committed rounds wait.
   */
  beacon?: BeaconSource | null;
  /** Merkle tree threads (default: one shared pool per process). */
  workers?: MerkleWorkers;
  options?: DrawServiceOptions;
}

export type CloseOutcome = 'completed' | 'pending' | 'drawing' | 'not_due' | 'not_active' | 'failed';

export interface CloseReport {
  activated: number;
  closed: number;
  pending: number;
  fallbacks: number;
}

export interface DrawReport {
  completed: number;
  skipped: number;
  failed: number;
}

export class DrawService {
  readonly runner: DrawRunner;
  private readonly manual: ManualWinners;
  private readonly log: Logger;
  private readonly windowMs: number;
  private readonly drawConcurrency: number;
  private readonly leaseMs: number;
  private readonly frozen: FrozenEntrantsStore;
  private readonly rerolls: Rerolls;

  constructor(private readonly deps: DrawServiceDeps) {
    const o = deps.options ?? {};
    this.log = deps.logger.child({ module: 'draws' });
    this.windowMs = o.manualWindowMs ?? MANUAL_WINNERS_WINDOW_MS;
    this.drawConcurrency = o.drawConcurrency ?? 2;
    this.leaseMs = o.leaseMs ?? 30_000;
    this.frozen = new FrozenEntrantsStore({
      pool: deps.pool,
      ...(deps.workers ? { workers: deps.workers } : {}),
    });
    const checkRetryDelaysMs = o.checkRetryDelaysMs ?? [1_000, 3_000, 10_000];
    this.runner = new DrawRunner({
      pool: deps.pool,
      frozen: this.frozen,
      beacon: deps.beacon ?? null,
      logger: this.log,
      requirements: deps.requirements,
      jobs: deps.jobs,
      checkConcurrency: o.checkConcurrency ?? 8,
      checkRetryDelaysMs,
      leaseMs: this.leaseMs,
      retryBaseMs: o.retryBaseMs ?? 2_000,
      manualWindowMs: this.windowMs,
    });
    this.manual = new ManualWinners({ pool: deps.pool, jobs: deps.jobs });
    this.rerolls = new Rerolls({
      pool: deps.pool,
      frozen: this.frozen,
      jobs: deps.jobs,
      evaluator: deps.requirements,
      checkRetryDelaysMs,
    });
  }

  /**
   * Draw protocol §1, inside the giveaway's create transaction. The beacon defaults to drand when relays are
   * configured; asking for drand without any is refused rather than silently committing to less.
   */
  async createCommitment(
    tx: db.Queryable,
    giveawayId: string,
    options: { beacon?: BeaconChoice | undefined } = {},
  ): Promise<Commitment> {
    const beacon = options.beacon ?? (this.deps.beacon ? 'drand' : 'none');
    if (beacon === 'drand' && !this.deps.beacon) {
      throw new AppError(
        'UNSUPPORTED',
        'This server has no drand relays configured; create with beacon "none".',
        {
          fields: [{ field: 'beacon', message: 'drand is not configured on this server' }],
        },
      );
    }
    return createCommitment(tx, giveawayId, { beacon });
  }

  /** Closes one giveaway now if it is due, and runs its draw unless another node holds it. */
  async closeGiveaway(giveawayId: string): Promise<CloseOutcome> {
    const state = await db.readCommitted(this.deps.pool, async (tx) => {
      const g = await lockGiveaway(tx, giveawayId, this.windowMs);
      if (!g) throw new AppError('NOT_FOUND', 'Giveaway not found.');
      if (g.status === 'active' && g.closedAt === null) {
        return g.due ? closeLockedGiveaway(tx, { jobs: this.deps.jobs, logger: this.log }, g) : 'not_due';
      }
      if (g.status === 'active' || g.status === 'drawing') return 'drawing';
      return g.status === 'pending' || g.status === 'completed' ? g.status : 'not_active';
    });
    if (state === 'drawing' || state === 'pending') await this.publishEntrants(giveawayId);
    if (state !== 'drawing') return state;
    const token = randomUUID();
    const [claim] = await claimDrawRuns(this.deps.pool, {
      limit: 1,
      leaseMs: this.leaseMs,
      token,
      giveawayId,
    });
    if (!claim) return 'drawing';
    const outcome = await this.runner.run(claim, token);
    return outcome === 'skipped' ? 'not_active' : outcome;
  }

  /** Everything due right now, to completion: activations, closes, fallbacks, then the draws. */
  async processDue(limit = 50, stop?: AbortSignal): Promise<CloseReport & DrawReport> {
    const closed = await this.closeDue(limit);
    const drawn = await this.runDueDraws(limit, stop);
    return { ...closed, ...drawn };
  }

  /** The fast part (short transactions only), so a scheduler can close on time while draws run elsewhere. */
  async closeDue(limit = 50): Promise<CloseReport> {
    const report: CloseReport = { activated: 0, closed: 0, pending: 0, fallbacks: 0 };
    report.activated = (await activateScheduled(this.deps.pool, limit)).length;
    const failed: string[] = [];
    while (report.closed + report.pending < limit) {
      let id: string | undefined;
      let as: ClosedAs | null;
      try {
        as = await db.readCommitted(this.deps.pool, async (tx) => {
          const g = await lockNextDueGiveaway(tx, this.windowMs, failed);
          id = g?.id;
          return g ? closeLockedGiveaway(tx, { jobs: this.deps.jobs, logger: this.log }, g) : null;
        });
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
    report.fallbacks = (await startFallbackDraws(this.deps.pool, limit, this.windowMs)).length;
    return report;
  }

  /**
   * §2: the entrant root and count become public right after close, before the draw asks for its beacon.
   * Best effort here (the draw itself publishes them first thing, and checks they did not change).
   */
  private async publishEntrants(giveawayId: string): Promise<void> {
    try {
      const entrants = await this.frozen.get(giveawayId);
      await commitEntrants(this.deps.pool, giveawayId, entrants.root.toString('hex'), entrants.count);
    } catch (err) {
      this.log.error({ err, giveawayId }, 'Could not publish the entrant root at close; the draw will');
    }
  }

  /** Claims draws nobody holds and runs them (a few at a time); failures are logged and retried later. */
  async runDueDraws(limit = 50, stop?: AbortSignal): Promise<DrawReport> {
    const token = randomUUID();
    const claims = await claimDrawRuns(this.deps.pool, { limit, leaseMs: this.leaseMs, token });
    const outcomes: RunOutcome[] = [];
    let next = 0;
    const worker = async () => {
      for (let claim = claims[next++]; claim; claim = claims[next++]) {
        outcomes.push(await this.runner.run(claim, token, stop));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.drawConcurrency, claims.length) }, worker));
    const count = (o: RunOutcome) => outcomes.filter((x) => x === o).length;
    return { completed: count('completed'), skipped: count('skipped'), failed: count('failed') };
  }

  /** Milliseconds until the next close, start, fallback or draw retry is due; null when none is. */
  nextDueInMs(): Promise<number | null> {
    return selectNextDueInMs(this.deps.pool, this.windowMs);
  }

  /** The published bundle; NOT_FOUND until the draw is done (the server seed stays secret before that). */
  async getProof(giveawayId: string): Promise<ProofBundle> {
    const bundle = await selectProofBundle(this.deps.pool, giveawayId);
    if (!bundle) throw new AppError('NOT_FOUND', 'This giveaway has not been drawn yet.');
    return bundle;
  }

  /** What was published before the draw: seed commitment, beacon round, and from close the entrant root. */
  async getCommitment(giveawayId: string): Promise<DrawCommitmentResponse> {
    const summary = await selectCommitmentSummary(this.deps.pool, giveawayId);
    if (!summary) throw new AppError('NOT_FOUND', 'No such giveaway, or it has no draw commitment.');
    return summary;
  }

  /** Canonical entrant list beside the proof, keyset-paged on user_id. */
  async listEntrants(
    giveawayId: string,
    page: { cursor?: string | undefined; limit?: number | undefined } = {},
  ): Promise<EntrantsPage> {
    await this.assertDrawn(giveawayId);
    const limit = Math.min(Math.max(page.limit ?? 1000, 1), 1000);
    const after = page.cursor === undefined ? 0 : Number(page.cursor);
    const rows = await selectEntrantsPage(this.deps.pool, giveawayId, after, limit + 1);
    const entrants = rows.slice(0, limit);
    const last = entrants[entrants.length - 1];
    return { entrants, next_cursor: rows.length > limit && last ? String(last.user_id) : null };
  }

  /**
   * The whole canonical list as NDJSON chunks (`{"user_id":…,"weight":…}` per line), read in keyset slices so a
   * million entrants stream in bounded memory. Checked before the first chunk, so errors are still coded.
   */
  async streamEntrants(giveawayId: string, after?: string): Promise<AsyncIterable<string>> {
    await this.assertDrawn(giveawayId);
    return entrantsNdjson(this.deps.pool, giveawayId, after ?? '0');
  }

  private async assertDrawn(giveawayId: string): Promise<void> {
    if (!(await proofExists(this.deps.pool, giveawayId))) {
      throw new AppError('NOT_FOUND', 'This giveaway has not been drawn yet.');
    }
  }

  /** One entrant's Merkle path to the published entrants_root (draw protocol §2). */
  async inclusionProof(giveawayId: string, userId: number): Promise<InclusionProofResponse> {
    const bundle = await this.getProof(giveawayId);
    // Drawn giveaways never change their entrants, so the tree is built once and kept for the next caller.
    const entrants = await this.frozen.get(giveawayId);
    const index = findEntrantIndex(entrants, userId);
    if (index < 0) throw new AppError('NOT_FOUND', 'This user is not an entrant of the draw.');
    const proof = inclusionProof(entrants.tree, index);
    return {
      giveaway_id: giveawayId,
      user_id: userId,
      weight: entrants.weights[index] ?? 0,
      index,
      leaf: proof.leaf,
      siblings: [...proof.siblings],
      entrants_root: bundle.entrants_root,
      entrants_count: entrants.count,
    };
  }

  uploadCandidates(
    principal: DrawPrincipal,
    giveawayId: string,
    text: string,
  ): Promise<ManualCandidatesResponse> {
    return this.manual.upload(principal, giveawayId, text);
  }

  previewCandidates(
    principal: DrawPrincipal,
    text: string,
    giveawayId?: string,
  ): Promise<ManualCandidatesResponse> {
    return this.manual.preview(principal, text, giveawayId);
  }

  listLoadedWinners(principal: DrawPrincipal, giveawayId: string): Promise<ManualCandidatesResponse> {
    return this.manual.list(principal, giveawayId);
  }

  clearLoadedWinners(principal: DrawPrincipal, giveawayId: string): Promise<void> {
    return this.manual.clear(principal, giveawayId);
  }

  /** §4 reroll: the place goes to the next reserve, or the stream continues; never a re-draw. */
  reroll(
    principal: DrawPrincipal,
    giveawayId: string,
    place: number,
    body: RerollBody,
  ): Promise<RerollResult> {
    return this.rerolls.reroll(principal, giveawayId, place, body);
  }

  /** PATCH /giveaways/:id/status {completed}: the owner finalises the uploaded list. */
  finalizeManual(principal: DrawPrincipal, giveawayId: string): Promise<ManualFinalizeResult> {
    return this.manual.finalize(principal, giveawayId);
  }
}
