// SQL of closing and drawing: claiming due work (row locks with SKIP LOCKED, draw leases), freezing entrants,
// reading draw inputs and recording pick decisions (the result's writes are in result.queries.ts). Raw pg rows
// carry bigints as strings, so every id is converted with Number() here, at the boundary.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type { StoredRequirement } from './collaborators.ts';

export type GiveawayStatus = s.giveaway_status;
export type DrawRunKind = s.draw_run_kind;

export interface LockedGiveaway {
  id: string;
  status: GiveawayStatus;
  creatorId: number;
  winnersCount: number;
  closedAt: Date | null;
  /** ends_at <= now() by the database clock. */
  due: boolean;
  /** pending for longer than the manual-winners window. */
  fallbackDue: boolean;
}

interface LockedRow {
  id: string;
  status: GiveawayStatus;
  creator_id: string;
  winners_count: number;
  closed_at: Date | null;
  due: boolean;
  fallback_due: boolean;
}

const lockedColumns = (windowMs: number) => db.sql`
  id, status, creator_id, winners_count, closed_at, ends_at <= now() AS due,
  (status = 'pending' AND pending_since <= now() - make_interval(secs => ${db.param(windowMs / 1000)}))
    AS fallback_due`;

const toLocked = (r: LockedRow): LockedGiveaway => ({
  id: r.id,
  status: r.status,
  creatorId: Number(r.creator_id),
  winnersCount: r.winners_count,
  closedAt: r.closed_at,
  due: r.due,
  fallbackDue: r.fallback_due,
});

/** Locks one giveaway row, waiting for other holders. */
export async function lockGiveaway(
  tx: db.Queryable,
  giveawayId: string,
  windowMs: number,
): Promise<LockedGiveaway | undefined> {
  const rows = await db.sql<db.SQL, LockedRow[]>`
    SELECT ${lockedColumns(windowMs)} FROM giveaways WHERE id = ${db.param(giveawayId)} FOR UPDATE`.run(tx);
  return rows[0] && toLocked(rows[0]);
}

/** Locks the most overdue active giveaway not yet closed, skipping rows another node holds. */
export async function lockNextDueGiveaway(
  tx: db.Queryable,
  windowMs: number,
  skipIds: string[] = [],
): Promise<LockedGiveaway | undefined> {
  const rows = await db.sql<db.SQL, LockedRow[]>`
    SELECT ${lockedColumns(windowMs)} FROM giveaways
    WHERE status = 'active' AND ends_at <= now() AND closed_at IS NULL
      AND id <> ALL(${db.param(skipIds)}::uuid[])
    ORDER BY ends_at LIMIT 1 FOR UPDATE SKIP LOCKED`.run(tx);
  return rows[0] && toLocked(rows[0]);
}

/** Freezes the entrants in SQL, one pass: weight = 1 + granted tickets. Returns how many were frozen. */
export async function freezeEntrantRows(tx: db.Queryable, giveawayId: string): Promise<number> {
  const query = db.sql`
    INSERT INTO draw_entrants (giveaway_id, user_id, weight)
    SELECT p.giveaway_id, p.user_id, LEAST(1 + COALESCE(t.count, 0)::bigint, 2147483647)
    FROM participants p
    LEFT JOIN tickets t ON t.giveaway_id = p.giveaway_id AND t.user_id = p.user_id
    WHERE p.giveaway_id = ${db.param(giveawayId)}`.compile();
  const result = await tx.query(query);
  return result.rowCount ?? 0;
}

export async function hasCustomRequirement(client: db.Queryable, giveawayId: string): Promise<boolean> {
  const rows = await db.sql<db.SQL, Array<{ found: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM requirements WHERE giveaway_id = ${db.param(giveawayId)} AND type = 'custom')
      AS found`.run(client);
  return rows[0]?.found ?? false;
}

/** Marks entries closed; `status` is where the giveaway waits: active (draw queued), drawing (beacon), pending. */
export async function markClosed(
  tx: db.Queryable,
  giveawayId: string,
  status: 'active' | 'drawing' | 'pending',
): Promise<void> {
  await db.sql`
    UPDATE giveaways SET closed_at = now(), status = ${db.param(status)}::giveaway_status,
      pending_since = ${status === 'pending' ? db.sql`now()` : db.sql`pending_since`}
    WHERE id = ${db.param(giveawayId)}`.run(tx);
}

/** The drand round a giveaway committed to at creation, or null (commit-reveal only). */
export async function selectBeaconRound(client: db.Queryable, giveawayId: string): Promise<number | null> {
  const rows = await db.sql<db.SQL, Array<{ round: number | null }>>`
    SELECT (beacon->>'round')::bigint::float8 AS round FROM draw_commitments
    WHERE giveaway_id = ${db.param(giveawayId)}`.run(client);
  return rows[0]?.round ?? null;
}

export async function insertDrawRun(tx: db.Queryable, giveawayId: string, kind: DrawRunKind): Promise<void> {
  await db.sql`
    INSERT INTO draw_runs (giveaway_id, kind) VALUES (${db.param(giveawayId)}, ${db.param(kind)})
    ON CONFLICT (giveaway_id) DO NOTHING`.run(tx);
}

/** scheduled → active for every giveaway whose start has come. */
export async function activateScheduled(client: db.Queryable, limit: number): Promise<string[]> {
  const rows = await db.sql<db.SQL, Array<{ id: string }>>`
    UPDATE giveaways SET status = 'active' WHERE id IN (
      SELECT id FROM giveaways WHERE status = 'scheduled' AND started_at <= now()
      ORDER BY started_at LIMIT ${db.param(limit)} FOR UPDATE SKIP LOCKED)
    RETURNING id`.run(client);
  return rows.map((r) => r.id);
}

/** Queues a normal draw for pending giveaways the creator left without winners for the whole window. */
export async function startFallbackDraws(
  client: db.Queryable,
  limit: number,
  windowMs: number,
): Promise<string[]> {
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string }>>`
    INSERT INTO draw_runs (giveaway_id, kind)
    SELECT g.id, 'fallback' FROM giveaways g
    WHERE g.status = 'pending'
      AND g.pending_since <= now() - make_interval(secs => ${db.param(windowMs / 1000)})
      AND NOT EXISTS (SELECT 1 FROM draw_runs r WHERE r.giveaway_id = g.id)
    ORDER BY g.pending_since LIMIT ${db.param(limit)}
    FOR UPDATE OF g SKIP LOCKED
    ON CONFLICT (giveaway_id) DO NOTHING
    RETURNING giveaway_id`.run(client);
  return rows.map((r) => r.giveaway_id);
}

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
  const row = await db
    .selectOne('users', { id: userId }, { columns: ['id', 'is_premium', 'wallet_address'] })
    .run(client);
  return row && { userId: Number(row.id), isPremium: row.is_premium, walletAddress: row.wallet_address };
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
      UNION ALL SELECT min(lease_until) FROM draw_runs
    ) due`.run(client);
  return rows[0]?.ms ?? null;
}
