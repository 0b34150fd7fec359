// Shared setup of the draws tests: giveaways built with SQL, a requirement evaluator that fails chosen users
// (a stand-in for Telegram), and a job enqueuer that writes to a test table through the caller's transaction.
import { pino } from 'pino';
import type pg from 'pg';
import type * as db from 'zapatos/db';
import { createCommitment } from '../../server/draws/commitment/commitment.ts';
import type {
  JobEnqueuer,
  JobName,
  RequirementsEvaluator,
  StoredRequirement,
  WebhookPublisher,
} from '../../server/draws/ports/index.ts';
import { buildDraws, type Draws, type DrawsOptions } from '../../server/draws/index.ts';
import type { ProofBundle } from '../../server/draws/protocol/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

export const silentLogger = pino({ level: 'silent' });

/** Fails the users in `failing`, cannot decide for those in `unknown`, passes everyone else. */
export class TestEvaluator implements RequirementsEvaluator {
  readonly failing = new Set<number>();
  readonly unknown = new Set<number>();
  readonly calls: number[] = [];
  /** Throws (a crash mid-draw) once this many calls were made. */
  crashAfter: number | null = null;
  /** 'evaluation' answers like RequirementsService ({results, allMet, unknown}). */
  shape: 'array' | 'evaluation' = 'array';

  evaluateRows(requirements: StoredRequirement[], subject: { userId: number }) {
    if (this.crashAfter !== null && this.calls.length >= this.crashAfter) {
      return Promise.reject(new Error('evaluator crashed'));
    }
    this.calls.push(subject.userId);
    const id = subject.userId;
    const results = requirements.map((requirement) => ({
      requirement,
      result: this.failing.has(id)
        ? { status: 'failed' as const, code: 'not_subscribed', reason: 'Not subscribed' }
        : this.unknown.has(id)
          ? { status: 'unknown' as const, code: 'check_failed', reason: 'Telegram is down' }
          : { status: 'passed' as const, code: 'ok', reason: '' },
    }));
    if (this.shape === 'array') return Promise.resolve(results);
    const unknown = results.some((r) => r.result.status === 'unknown');
    return Promise.resolve({ results, allMet: results.every((r) => r.result.status === 'passed'), unknown });
  }
}

/** Jobs land in `test_jobs` via the caller's transaction client, so they commit or roll back with it. */
export class TableJobs implements JobEnqueuer {
  failOn: JobName | null = null;

  async enqueue(tx: db.Queryable, name: JobName, data: object, options?: { singletonKey?: string }) {
    if (this.failOn === name) throw new Error(`enqueue ${name} failed`);
    const res = await tx.query<{ id: number }>(
      `INSERT INTO test_jobs (name, data, singleton_key) VALUES ($1, $2, $3)
       ON CONFLICT (singleton_key) DO NOTHING RETURNING id`,
      [name, JSON.stringify(data), options?.singletonKey ?? null],
    );
    const row = res.rows[0];
    return row ? String(row.id) : null;
  }

  async enqueueMany(
    tx: db.Queryable,
    name: JobName,
    jobs: ReadonlyArray<{ data: object; singletonKey?: string }>,
  ): Promise<void> {
    for (const job of jobs)
      await this.enqueue(
        tx,
        name,
        job.data,
        job.singletonKey === undefined ? {} : { singletonKey: job.singletonKey },
      );
  }
}

export async function createJobTable(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS test_jobs (
    id serial PRIMARY KEY, name text NOT NULL, data jsonb NOT NULL, singleton_key text UNIQUE)`);
}

/** A fresh test database with the jobs table TableJobs writes to: what every draws test file starts from. */
export async function createDrawsDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await createJobTable(database.pool);
  return database;
}

export async function jobsOf(pool: pg.Pool, giveawayId: string) {
  const res = await pool.query<{ name: string; data: Record<string, unknown>; singleton_key: string }>(
    `SELECT name, data, singleton_key FROM test_jobs WHERE data->>'giveaway_id' = $1 ORDER BY id`,
    [giveawayId],
  );
  return res.rows;
}

export function makeService(
  pool: pg.Pool,
  evaluator: RequirementsEvaluator,
  jobs: JobEnqueuer,
  options: DrawsOptions = {},
  webhooks?: WebhookPublisher,
): Draws {
  return buildDraws({
    pool,
    logger: silentLogger,
    requirements: evaluator,
    jobs,
    ...(webhooks ? { webhooks } : {}),
    options: { checkRetryDelaysMs: [5, 10], retryBaseMs: 10, leaseMs: 2_000, ...options },
  });
}

export interface GiveawaySpec {
  creatorId?: number;
  winners: number;
  reserves?: number;
  /** Negative: already ended. */
  endsInMs?: number;
  status?: 'scheduled' | 'active' | 'pending';
  participants?: number[];
  tickets?: Record<number, number>;
  prizes?: Array<{ title: string; quantity?: number; place?: number }>;
  requirements?: Array<'custom' | 'premium'>;
}

let nextUser = 0;
/** Distinct user ids per call, so tests in one file never collide. */
export function userIds(count: number, base = 5_000_000): number[] {
  const start = base + nextUser;
  nextUser += count;
  return Array.from({ length: count }, (_, i) => start + i);
}

export async function ensureUsers(pool: pg.Pool, ids: number[]): Promise<void> {
  await pool.query(
    `INSERT INTO users (id, first_name) SELECT id, 'User ' || id FROM unnest($1::bigint[]) AS id
     ON CONFLICT DO NOTHING`,
    [ids],
  );
}

export async function createGiveaway(pool: pg.Pool, spec: GiveawaySpec): Promise<string> {
  const creator = spec.creatorId ?? 42;
  const participants = spec.participants ?? [];
  await ensureUsers(pool, [creator, ...participants]);
  const endsIn = spec.endsInMs ?? -1000;
  const res = await pool.query<{ id: string }>(
    `INSERT INTO giveaways (creator_id, title, status, started_at, ends_at, duration, winners_count,
       reserves_count, pending_since)
     VALUES ($1, 'Test giveaway', $2::giveaway_status,
       now() + ($3 || ' milliseconds')::interval - interval '1 hour',
       now() + ($3 || ' milliseconds')::interval, 3600, $4, $5,
       CASE WHEN $2::giveaway_status = 'pending' THEN now() END)
     RETURNING id`,
    [creator, spec.status ?? 'active', String(endsIn), spec.winners, spec.reserves ?? 0],
  );
  const id = (res.rows[0] as { id: string }).id;
  await createCommitment(pool, id);
  await pool.query(
    `INSERT INTO participants (giveaway_id, user_id) SELECT $1, u FROM unnest($2::bigint[]) AS u`,
    [id, participants],
  );
  for (const [userId, count] of Object.entries(spec.tickets ?? {})) {
    await pool.query(`INSERT INTO tickets (giveaway_id, user_id, count) VALUES ($1, $2, $3)`, [
      id,
      userId,
      count,
    ]);
  }
  for (const [position, p] of (spec.prizes ?? []).entries()) {
    await pool.query(
      `INSERT INTO giveaway_prizes (giveaway_id, position, place, title, quantity) VALUES ($1, $2, $3, $4, $5)`,
      [id, position, p.place ?? null, p.title, p.quantity ?? 1],
    );
  }
  for (const [position, type] of (spec.requirements ?? []).entries()) {
    await pool.query(`INSERT INTO requirements (giveaway_id, position, type, name) VALUES ($1, $2, $3, $4)`, [
      id,
      position,
      type,
      type === 'custom' ? 'Post a meme' : null,
    ]);
  }
  return id;
}

/**
 * Ends the draw run's lease, which is also a failed draw's retry delay, by moving it into the past in the
 * database instead of waiting for it: the due-draw scan compares it with the clock.
 */
export async function passDrawLease(pool: pg.Pool, giveawayId: string): Promise<void> {
  const { rowCount } = await pool.query(
    `UPDATE draw_runs SET lease_until = now() - interval '1 second' WHERE giveaway_id = $1`,
    [giveawayId],
  );
  if (rowCount !== 1) throw new Error(`no draw run for ${giveawayId}`);
}

export async function giveawayRow(pool: pg.Pool, id: string) {
  const res = await pool.query<{ status: string; finished_at: Date | null; closed_at: Date | null }>(
    `SELECT status, finished_at, closed_at FROM giveaways WHERE id = $1`,
    [id],
  );
  return res.rows[0];
}

export async function winnersOf(pool: pg.Pool, id: string) {
  const res = await pool.query<{ place: number; user_id: string; source: string }>(
    `SELECT place, user_id, source FROM winners WHERE giveaway_id = $1 ORDER BY place`,
    [id],
  );
  return res.rows.map((r) => ({ place: r.place, user_id: Number(r.user_id), source: r.source }));
}

export async function winRecordsOf(pool: pg.Pool, id: string) {
  const res = await pool.query<{ place: number; user_id: string; prize_title: string; quantity: number }>(
    `SELECT place, user_id, prize_title, quantity FROM win_records WHERE giveaway_id = $1
     ORDER BY place, prize_title`,
    [id],
  );
  return res.rows.map((r) => ({
    place: r.place,
    user_id: Number(r.user_id),
    title: r.prize_title,
    quantity: r.quantity,
  }));
}

/** The whole served entrant list, page by page, as a verifier would fetch it. */
export async function servedEntrants(service: Draws, id: string, limit = 1000) {
  const all: Array<{ user_id: number | string; weight: number }> = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await service.proofs.listEntrants(id, { ...(cursor ? { cursor } : {}), limit });
    all.push(...page.entrants);
    if (!page.next_cursor) return all;
    cursor = page.next_cursor;
  }
}

export function winnerIds(bundle: ProofBundle): number[] {
  return bundle.winners.map((w) => Number(w.user_id));
}
