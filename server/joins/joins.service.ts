// Joining a giveaway, the same for REST, sockets and the bot: ban check, a cheap gate, requirement checks,
// then the batcher (which decides time, status and capacity atomically in SQL). Idempotent: joining twice
// answers already_joined.
import type pg from 'pg';
import type * as s from 'zapatos/schema';
import type { Principal } from '../auth/index.ts';
import { assertNotBanned } from '../auth/index.ts';
import { AppError } from '../platform/errors.ts';
import type { JoinBatcher } from './join-batcher.ts';
import { isParticipant, selectJoinGate } from './joins.queries.ts';

export interface RequirementsGate {
  evaluate(
    giveawayId: string,
    userId: number,
  ): Promise<{
    allMet: boolean;
    unknown: boolean;
    results: Array<{
      requirement: { id: string | number; type: string };
      result: { status: string; code: string; reason: string; link: string | null };
    }>;
  }>;
}

export interface JoinsServiceDeps {
  pool: pg.Pool;
  batcher: JoinBatcher;
  requirements: RequirementsGate;
}

export type JoinStatus = 'joined' | 'already_joined';

/** The gate row, with what every join compares decoded once per read rather than once per join. */
type Gate = NonNullable<Awaited<ReturnType<typeof selectJoinGate>>> & { endsAtMs: number; creatorId: number };

/** The gate is only a pre-filter (the batch statement decides), so a short-lived copy is safe. */
const GATE_TTL_MS = 500;

export class JoinsService {
  private readonly gates = new Map<string, { gate: Promise<Gate | undefined>; at: number }>();

  constructor(private readonly deps: JoinsServiceDeps) {}

  /** Concurrent joins of one giveaway share one in-flight read (a burst must not become N gate queries). */
  private gateOf(giveawayId: string): Promise<Gate | undefined> {
    const cached = this.gates.get(giveawayId);
    if (cached && Date.now() - cached.at < GATE_TTL_MS) return cached.gate;
    if (this.gates.size > 10_000) this.gates.clear();
    const gate = selectJoinGate(this.deps.pool, giveawayId).then(
      (row) =>
        row && { ...row, endsAtMs: new Date(row.ends_at).getTime(), creatorId: Number(row.creator_id) },
    );
    this.gates.set(giveawayId, { gate, at: Date.now() });
    gate.catch(() => this.gates.delete(giveawayId));
    return gate;
  }

  async join(principal: Principal, giveawayId: string, source: s.participant_source): Promise<JoinStatus> {
    assertNotBanned(principal);
    const gate = await this.gateOf(giveawayId);
    if (!gate) throw new AppError('NOT_FOUND', 'No such giveaway.');
    if (gate.creatorId === principal.userId) {
      throw new AppError('FORBIDDEN', 'The creator cannot join their own giveaway.');
    }
    if (gate.status !== 'active' || Date.now() >= gate.endsAtMs) {
      if (await isParticipant(this.deps.pool, giveawayId, principal.userId)) return 'already_joined';
      throw new AppError('GIVEAWAY_CLOSED', 'This giveaway is not accepting entries.', {
        status: gate.status,
      });
    }
    if (gate.requirements > 0) {
      // Already in: idempotent success without re-checking (a lapsed requirement is the draw's business).
      if (await isParticipant(this.deps.pool, giveawayId, principal.userId)) return 'already_joined';
      const check = await this.deps.requirements.evaluate(giveawayId, principal.userId);
      const details = check.results.map(({ requirement, result }) => ({
        requirement_id: Number(requirement.id),
        type: requirement.type,
        status: result.status,
        code: result.code,
        reason: result.reason,
        link: result.link,
      }));
      if (check.results.some((r) => r.result.status === 'failed')) {
        throw new AppError('REQUIREMENTS_NOT_MET', 'Complete all requirements to join this giveaway.', {
          results: details,
        });
      }
      if (check.unknown) {
        throw new AppError(
          'REQUIREMENTS_UNKNOWN',
          'Some requirements could not be checked; retry shortly.',
          { results: details },
          5,
        );
      }
    }
    const outcome = await this.deps.batcher.enqueue({ giveawayId, userId: principal.userId, source });
    switch (outcome) {
      case 'joined':
      case 'already_joined':
        return outcome;
      case 'closed':
        throw new AppError('GIVEAWAY_CLOSED', 'This giveaway is not accepting entries.');
      case 'full':
        throw new AppError('GIVEAWAY_FULL', 'This giveaway is full.');
      case 'creator':
        throw new AppError('FORBIDDEN', 'The creator cannot join their own giveaway.');
      case 'not_found':
        throw new AppError('NOT_FOUND', 'No such giveaway.');
    }
  }
}
