// Builds the parts of closing and drawing from their collaborators, without I/O or timers. Each part is used
// directly by whoever needs it (routes, the scheduler, the giveaways service); they share one frozen-entrants
// cache so a tree built for the draw serves the proofs and rerolls afterwards.
import type pg from 'pg';
import { MANUAL_WINNERS_WINDOW_MS } from '../giveaways/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { BeaconSource } from './beacon/index.ts';
import { Closing } from './close/index.ts';
import type { JobEnqueuer, RequirementsEvaluator, WebhookPublisher } from './ports/index.ts';
import { ClaimWindows, noWebhooks } from './claims/index.ts';
import { DrawCommitments } from './commitment/index.ts';
import { FrozenEntrantsStore, type MerkleWorkers } from './entrants/index.ts';
import { DrawExecution, DrawRunner } from './execution/index.ts';
import { ManualWinners } from './manual-winners/index.ts';
import { DrawProofs } from './proofs/index.ts';
import { Rerolls } from './rerolls/index.ts';

export interface DrawsOptions {
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

export interface DrawsDeps {
  pool: pg.Pool;
  logger: Logger;
  requirements: RequirementsEvaluator;
  jobs: JobEnqueuer;
  /**
   * The drand relays (DrandRelays from DRAND_URLS). With one, new giveaways commit to a drand round unless they
   * ask for `beacon: "none"`; without one, `beacon: "drand"` is refused and committed rounds wait.
   */
  beacon?: BeaconSource | null;
  /** Publishes giveaway.winner_changed / giveaway.claimed (server/webhooks' publishWebhookEvent); none by default. */
  webhooks?: WebhookPublisher;
  /** Merkle tree threads (default: one shared pool per process). */
  workers?: MerkleWorkers;
  options?: DrawsOptions;
}

export interface Draws {
  beacon: BeaconSource | null;
  /** §1 at create, used by the giveaways service inside its create transaction. */
  commitments: DrawCommitments;
  closing: Closing;
  execution: DrawExecution;
  proofs: DrawProofs;
  manualWinners: ManualWinners;
  rerolls: Rerolls;
  /** Claims, extensions and the deadline scan (its timer, ClaimDeadlineSweeper, runs on worker nodes). */
  claims: ClaimWindows;
}

export function buildDraws(deps: DrawsDeps): Draws {
  const o = deps.options ?? {};
  const logger = deps.logger.child({ module: 'draws' });
  const manualWindowMs = o.manualWindowMs ?? MANUAL_WINNERS_WINDOW_MS;
  const leaseMs = o.leaseMs ?? 30_000;
  const checkRetryDelaysMs = o.checkRetryDelaysMs ?? [1_000, 3_000, 10_000];
  const beacon = deps.beacon ?? null;
  const webhooks = deps.webhooks ?? noWebhooks;
  const frozen = new FrozenEntrantsStore({
    pool: deps.pool,
    ...(deps.workers ? { workers: deps.workers } : {}),
  });
  const closing = new Closing({ pool: deps.pool, logger, jobs: deps.jobs, frozen, manualWindowMs });
  const runner = new DrawRunner({
    pool: deps.pool,
    frozen,
    beacon,
    logger,
    requirements: deps.requirements,
    jobs: deps.jobs,
    checkConcurrency: o.checkConcurrency ?? 8,
    checkRetryDelaysMs,
    leaseMs,
    retryBaseMs: o.retryBaseMs ?? 2_000,
    manualWindowMs,
  });
  return {
    beacon,
    commitments: new DrawCommitments(beacon !== null),
    closing,
    execution: new DrawExecution({
      pool: deps.pool,
      runner,
      closing,
      leaseMs,
      drawConcurrency: o.drawConcurrency ?? 2,
      manualWindowMs,
    }),
    proofs: new DrawProofs({ pool: deps.pool, frozen }),
    manualWinners: new ManualWinners({ pool: deps.pool, jobs: deps.jobs }),
    rerolls: new Rerolls({
      pool: deps.pool,
      frozen,
      jobs: deps.jobs,
      evaluator: deps.requirements,
      checkRetryDelaysMs,
      webhooks,
    }),
    claims: new ClaimWindows({ pool: deps.pool, jobs: deps.jobs, webhooks, logger }),
  };
}
