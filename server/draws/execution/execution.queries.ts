// SQL of drawing: claiming due draw runs (leases, SKIP LOCKED), reading draw inputs and recording pick decisions
// (the result's writes are in results/result.queries.ts), and the scheduler's next due moment. Raw pg rows carry
// bigints as strings, so every id is converted with Number() here, at the boundary.
import * as db from 'zapatos/db';
import type { StoredRequirement } from '../ports/index.ts';
import type { DrawRunKind, GiveawayStatus } from '../close/index.ts';

export interface ClaimedRun {
  giveawayId: string;
  kind: DrawRunKind;
  attempts: number;
}

/**
 * Takes the lease of up to `limit` draws nobody holds (or one giveaway's). SKIP LOCKED keeps concurrent
 * claimers apart; a claimer that read a stale lease re-checks it on the locked row and gets nothing.
 */
export async function claimDrawRuns(
  client: db.Queryable,
  opts: { limit: number; leaseMs: number; token: string; giveawayId?: string },
): Promise<ClaimedRun[]> {
  const only =
    opts.giveawayId === undefined ? db.sql`TRUE` : db.sql`giveaway_id = ${db.param(opts.giveawayId)}`;
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string; kind: DrawRunKind; attempts: number }>>`
    UPDATE draw_runs SET lease_token = ${db.param(opts.token)}, attempts = attempts + 1,
      lease_until = now() + make_interval(secs => ${db.param(opts.leaseMs / 1000)})
    WHERE giveaway_id IN (
      SELECT giveaway_id FROM draw_runs WHERE lease_until < now() AND ${only}
      ORDER BY created_at LIMIT ${db.param(opts.limit)} FOR UPDATE SKIP LOCKED)
    RETURNING giveaway_id, kind, attempts`.run(client);
  return rows.map((r) => ({ giveawayId: r.giveaway_id, kind: r.kind, attempts: r.attempts }));
}

/** Extends a lease we hold; false when it was lost (expired and taken by another node, or finished). */
export async function renewLease(
  client: db.Queryable,
  giveawayId: string,
  token: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string }>>`
    UPDATE draw_runs SET lease_until = now() + make_interval(secs => ${db.param(leaseMs / 1000)})
    WHERE giveaway_id = ${db.param(giveawayId)} AND lease_token = ${db.param(token)}
    RETURNING giveaway_id`.run(client);
  return rows.length > 0;
}

/** Gives a failed draw back, to be retried after `retryInMs` by whichever node claims it then. */
export async function releaseDrawRun(
  client: db.Queryable,
  giveawayId: string,
  token: string,
  retryInMs: number,
  error: string,
): Promise<void> {
  await db.sql`
    UPDATE draw_runs SET lease_until = now() + make_interval(secs => ${db.param(retryInMs / 1000)}),
      lease_token = NULL, last_error = ${db.param(error.slice(0, 1000))}
    WHERE giveaway_id = ${db.param(giveawayId)} AND lease_token = ${db.param(token)}`.run(client);
}

export interface DrawInputs {
  status: GiveawayStatus;
  creatorId: number;
  winnersCount: number;
  reservesCount: number;
  serverSeed: Buffer | null;
  /** The committed drand round, or null (commit-reveal only). */
  beaconRound: number | null;
}

export async function selectDrawInputs(
  client: db.Queryable,
  giveawayId: string,
): Promise<DrawInputs | undefined> {
  type Row = {
    status: GiveawayStatus;
    creator_id: string;
    winners_count: number;
    reserves_count: number;
    server_seed: Buffer | null;
    beacon_round: number | null;
  };
  const rows = await db.sql<db.SQL, Row[]>`
    SELECT g.status, g.creator_id, g.winners_count, g.reserves_count, c.server_seed,
      (c.beacon->>'round')::bigint::float8 AS beacon_round
    FROM giveaways g LEFT JOIN draw_commitments c ON c.giveaway_id = g.id
    WHERE g.id = ${db.param(giveawayId)}`.run(client);
  const r = rows[0];
  if (!r) return undefined;
  return {
    status: r.status,
    creatorId: Number(r.creator_id),
    winnersCount: r.winners_count,
    reservesCount: r.reserves_count,
    serverSeed: r.server_seed,
    beaconRound: r.beacon_round,
  };
}

/** The requirements a draw re-checks: not custom (the creator judges those) and still checkable. */
export async function selectDrawRequirements(
  client: db.Queryable,
  giveawayId: string,
): Promise<StoredRequirement[]> {
  const all = await db
    .select(
      'requirements',
      { giveaway_id: giveawayId, checkable: true },
      { order: { by: 'position', direction: 'ASC' } },
    )
    .run(client);
  return all.filter((r) => r.type !== 'custom');
}

export interface PickDecision {
  eligible: boolean;
  reason: string | null;
}

export async function selectPickDecisions(
  client: db.Queryable,
  giveawayId: string,
): Promise<Map<number, PickDecision>> {
  const rows = await db.sql<db.SQL, Array<{ user_id: string; eligible: boolean; reason: string | null }>>`
    SELECT user_id, eligible, reason FROM draw_checks WHERE giveaway_id = ${db.param(giveawayId)}`.run(
    client,
  );
  return new Map(rows.map((r) => [Number(r.user_id), { eligible: r.eligible, reason: r.reason }]));
}

/** Records a decision unless one exists; returns the one that stands (the first recorded wins). */
export async function recordPickDecision(
  client: db.Queryable,
  giveawayId: string,
  userId: number,
  decision: PickDecision,
): Promise<PickDecision> {
  const rows = await db.sql<db.SQL, Array<{ eligible: boolean; reason: string | null }>>`
    INSERT INTO draw_checks (giveaway_id, user_id, eligible, reason)
    VALUES (${db.param(giveawayId)}, ${db.param(userId)}, ${db.param(decision.eligible)},
      ${db.param(decision.reason)})
    ON CONFLICT (giveaway_id, user_id) DO UPDATE SET eligible = draw_checks.eligible
    RETURNING eligible, reason`.run(client);
  const r = rows[0];
  return r ? { eligible: r.eligible, reason: r.reason } : decision;
}

export interface CheckSubject {
  userId: number;
  isPremium: boolean;
  walletAddress: string | null;
}

export async function selectSubject(client: db.Queryable, userId: number): Promise<CheckSubject | undefined> {
  return (await selectSubjects(client, [userId])).get(userId);
}

/** selectSubject for many users in one query: the ones that exist, by id. */
export async function selectSubjects(
  client: db.Queryable,
  userIds: readonly number[],
): Promise<Map<number, CheckSubject>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select('users', { id: db.conditions.isIn(userIds) }, { columns: ['id', 'is_premium', 'wallet_address'] })
    .run(client);
  return new Map(
    rows.map((row) => [
      Number(row.id),
      { userId: Number(row.id), isPremium: row.is_premium, walletAddress: row.wallet_address },
    ]),
  );
}

/** Milliseconds until the next thing the scheduler must act on (may be ≤ 0), or null when nothing is due. */
export async function selectNextDueInMs(client: db.Queryable, windowMs: number): Promise<number | null> {
  const rows = await db.sql<db.SQL, Array<{ ms: number | null }>>`
    SELECT (extract(epoch FROM (min(t) - clock_timestamp())) * 1000)::float8 AS ms FROM (
      SELECT min(ends_at) AS t FROM giveaways WHERE status = 'active' AND closed_at IS NULL
      UNION ALL SELECT min(started_at) FROM giveaways WHERE status = 'scheduled'
      UNION ALL SELECT min(pending_since) + make_interval(secs => ${db.param(windowMs / 1000)})
        FROM giveaways g WHERE g.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM draw_runs r WHERE r.giveaway_id = g.id)
      -- A run nobody has claimed yet has lease_until = '-infinity' (the column default): it is due now, and
      -- subtracting an infinite timestamp would fail, so it counts as now.
      UNION ALL SELECT min(greatest(lease_until, clock_timestamp())) FROM draw_runs
    ) due`.run(client);
  return rows[0]?.ms ?? null;
}
