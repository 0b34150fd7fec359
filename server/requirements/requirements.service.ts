// Requirements of giveaways: the checker registry, create-time validation, storage, views, and evaluation
// (join, check endpoint, draw) with a short Redis cache. No express, socket.io or grammy here.
import type pg from 'pg';
import type * as db from 'zapatos/db';
import type {
  CheckRequirementsResponse,
  PrizeTemplate,
  RequirementTemplate,
  RequirementView,
  RequirementItemInput,
} from '../../schema/contract/requirements.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger, Redis } from '../platform/index.ts';
import { AccountAgeChecker } from './account-age-checker.ts';
import { CustomChecker } from './custom-checker.ts';
import { mapLimit } from './map-limit.ts';
import { normalizeRequirements } from './normalize-requirements.ts';
import { PremiumChecker } from './premium-checker.ts';
import {
  unknown,
  type NewRequirement,
  type RequirementChecker,
  type RequirementResult,
  type RequirementSubject,
  type RequirementType,
  type StoredRequirement,
} from './requirement-checker.ts';
import { prizeTemplates, requirementTemplates } from './requirement-templates.ts';
import { toCheckItem, toView } from './requirement-view.ts';
import * as q from './requirements.queries.ts';
import { RequirementResultCache } from './result-cache.ts';

export interface RequirementsServiceOptions {
  pool: pg.Pool;
  logger: Logger;
  redis: Redis | null;
  keyPrefix: string;
  /** Registered after the built-ins (premium, account_age, custom); a later one replaces an earlier one. */
  checkers?: RequirementChecker[];
  /** Checks in flight per evaluation (Telegram-backed checkers are rate-limited). */
  concurrency?: number;
  cacheTtlSec?: number;
}

export interface EvaluatedRequirement {
  requirement: StoredRequirement;
  result: RequirementResult;
}

export interface RequirementsEvaluation {
  results: EvaluatedRequirement[];
  /** Every evaluated requirement passed (true when there are none). */
  allMet: boolean;
  /** At least one could not be decided: join should answer REQUIREMENTS_UNKNOWN unless another failed. */
  unknown: boolean;
}

export interface EvaluateOptions {
  /** Leave custom requirements out (the draw: the creator checks those by hand). */
  skipCustom?: boolean;
  /** Read and write the Redis cache (default true). */
  useCache?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RequirementsService {
  private readonly checkers = new Map<RequirementType, RequirementChecker>();
  private readonly cache: RequirementResultCache;
  private readonly log: Logger;

  constructor(private readonly deps: RequirementsServiceOptions) {
    this.log = deps.logger.child({ module: 'requirements' });
    this.cache = new RequirementResultCache({
      redis: deps.redis,
      keyPrefix: deps.keyPrefix,
      logger: this.log,
      ...(deps.cacheTtlSec !== undefined ? { ttlSec: deps.cacheTtlSec } : {}),
    });
    for (const checker of [new PremiumChecker(), new AccountAgeChecker(), new CustomChecker()]) {
      this.register(checker);
    }
    for (const checker of deps.checkers ?? []) this.register(checker);
  }

  register(checker: RequirementChecker): void {
    this.checkers.set(checker.type, checker);
  }

  supports(type: RequirementType): boolean {
    return this.checkers.has(type);
  }

  /** Shape validation only (sync). Throws VALIDATION (fields by index) or UNSUPPORTED. */
  normalizeForCreate(input: readonly RequirementItemInput[], _ctx: { creatorId: number }): NewRequirement[] {
    return normalizeRequirements(input, (type) => this.supports(type));
  }

  /** normalizeForCreate, then each checker's validateChannelRequirement hook (ownership, channel title). */
  async prepareForCreate(
    input: readonly RequirementItemInput[],
    ctx: { creatorId: number },
  ): Promise<NewRequirement[]> {
    const rows = this.normalizeForCreate(input, ctx);
    return Promise.all(
      rows.map(async (row) => {
        const checker = this.checkers.get(row.type);
        return checker?.validateChannelRequirement ? checker.validateChannelRequirement(row, ctx) : row;
      }),
    );
  }

  /** Inside the caller's transaction; positions follow the array order. */
  insertForGiveaway(txn: db.Queryable, giveawayId: string, rows: readonly NewRequirement[]) {
    return q.insertRequirements(txn, giveawayId, rows);
  }

  /** Copies every requirement of one giveaway onto another (recreate). */
  copyForGiveaway(txn: db.Queryable, fromId: string, toId: string): Promise<void> {
    return q.copyRequirements(txn, fromId, toId);
  }

  deleteForGiveaway(txn: db.Queryable, giveawayId: string): Promise<number> {
    return q.deleteRequirementsForGiveaway(txn, giveawayId);
  }

  listForGiveaway(client: db.Queryable, giveawayId: string): Promise<StoredRequirement[]> {
    if (!UUID.test(giveawayId)) return Promise.resolve([]);
    return q.selectRequirementsForGiveaway(client, giveawayId);
  }

  /** One query for many giveaways; every requested id gets an entry (maybe empty), in position order. */
  async listForGiveaways(
    client: db.Queryable,
    giveawayIds: readonly string[],
  ): Promise<Map<string, StoredRequirement[]>> {
    const byGiveaway = new Map<string, StoredRequirement[]>(giveawayIds.map((id) => [id, []]));
    const rows = await q.selectRequirementsForGiveaways(
      client,
      [...new Set(giveawayIds)].filter((id) => UUID.test(id)),
    );
    for (const row of rows) byGiveaway.get(row.giveaway_id)?.push(row);
    return byGiveaway;
  }

  toView(requirement: StoredRequirement): RequirementView {
    return toView(requirement);
  }

  /** Loads the giveaway's requirements and the user's stored facts, then checks every requirement. */
  async evaluate(
    giveawayId: string,
    userId: number,
    opts: EvaluateOptions = {},
  ): Promise<RequirementsEvaluation> {
    const requirements = await this.listForGiveaway(this.deps.pool, giveawayId);
    if (requirements.length === 0) return { results: [], allMet: true, unknown: false };
    const subject = await q.selectSubject(this.deps.pool, userId);
    if (!subject) throw new AppError('NOT_FOUND', 'User not found.');
    return this.evaluateRows(requirements, subject, opts);
  }

  /** For already-loaded rows (the draw, for many candidates). */
  async evaluateRows(
    requirements: readonly StoredRequirement[],
    subject: RequirementSubject,
    opts: EvaluateOptions = {},
  ): Promise<RequirementsEvaluation> {
    const rows = opts.skipCustom ? requirements.filter((r) => r.type !== 'custom') : [...requirements];
    const useCache = opts.useCache !== false;
    const cached = useCache
      ? await this.cache.getMany(
          rows.filter((r) => r.checkable).map((r) => r.id),
          subject.userId,
        )
      : new Map<number, RequirementResult>();
    const fresh: Array<[number, RequirementResult]> = [];
    const results = await mapLimit(rows, this.deps.concurrency ?? 4, async (requirement) => {
      const hit = requirement.checkable ? cached.get(requirement.id) : undefined;
      if (hit) return { requirement, result: hit };
      const result = await this.checkOne(requirement, subject);
      fresh.push([requirement.id, result]);
      return { requirement, result };
    });
    if (useCache) await this.cache.setMany(fresh, subject.userId);
    return {
      results,
      allMet: results.every((r) => r.result.status === 'passed'),
      unknown: results.some((r) => r.result.status === 'unknown'),
    };
  }

  /** The Mini App's check-requirements answer. The caller (giveaways) has already answered 404 for no giveaway. */
  async checkView(giveawayId: string, userId: number): Promise<CheckRequirementsResponse> {
    const evaluation = await this.evaluate(giveawayId, userId);
    return {
      giveaway_id: giveawayId,
      results: evaluation.results.map(({ requirement, result }) => toCheckItem(requirement, result)),
      all_met: evaluation.allMet,
    };
  }

  templates(): RequirementTemplate[] {
    return requirementTemplates((type) => this.supports(type));
  }

  prizeTemplates(): PrizeTemplate[] {
    return prizeTemplates();
  }

  private async checkOne(
    requirement: StoredRequirement,
    subject: RequirementSubject,
  ): Promise<RequirementResult> {
    if (!requirement.checkable) {
      return unknown('uncheckable', 'This requirement cannot be checked: the bot lost access to the channel');
    }
    const checker = this.checkers.get(requirement.type);
    if (!checker) {
      return unknown('no_checker', `${requirement.type} requirements cannot be checked on this server yet`);
    }
    try {
      const result = await checker.check(requirement, subject);
      if (result.status === 'passed' || result.status === 'failed' || result.status === 'unknown')
        return result;
      throw new Error(`checker returned status ${String(result.status)}`);
    } catch (err) {
      this.log.warn(
        { err, requirementId: requirement.id, type: requirement.type, userId: subject.userId },
        'Requirement check failed',
      );
      return unknown('check_failed', 'The check could not be completed');
    }
  }
}

/** A giveaway with a custom requirement ends `pending` for the creator's winners list. */
export function hasCustomRequirement(requirements: readonly Pick<StoredRequirement, 'type'>[]): boolean {
  return requirements.some((r) => r.type === 'custom');
}
