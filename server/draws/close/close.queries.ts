// SQL of closing (phase 1): locking due giveaways (row locks with SKIP LOCKED), freezing their entrants, marking
// them closed and queueing their draw runs; activations and 24 h fallbacks. Raw pg rows carry bigints as strings,
// so every id is converted with Number() here, at the boundary.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type pg from 'pg';
import {
  columnsFromImages,
  copyEntrantImages,
  copyEntrantRange,
  splitIdRange,
  type EntrantImages,
  type EntrantRangeReaders,
} from '../entrants/index.ts';
import type { EntrantColumns } from '../protocol/index.ts';

export type GiveawayStatus = s.giveaway_status;
export type DrawRunKind = s.draw_run_kind;

export interface LockedGiveaway {
  id: string;
  status: GiveawayStatus;
  creatorId: number;
  winnersCount: number;
  /** The live counter: how large the list about to be frozen is, roughly. */
  participantsCount: number;
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
  participants_count: number;
  closed_at: Date | null;
  due: boolean;
  fallback_due: boolean;
}

const lockedColumns = (windowMs: number) => db.sql`
  id, status, creator_id, winners_count, participants_count, closed_at, ends_at <= now() AS due,
  (status = 'pending' AND pending_since <= now() - make_interval(secs => ${db.param(windowMs / 1000)}))
    AS fallback_due`;

const toLocked = (r: LockedRow): LockedGiveaway => ({
  id: r.id,
  status: r.status,
  creatorId: Number(r.creator_id),
  winnersCount: r.winners_count,
  participantsCount: r.participants_count,
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

/** Lists shorter than this are read by the close transaction itself: extra connections would cost more. */
export const RANGED_READ_MIN = 50_000;

/**
 * Freezes the entrants as closing does: the list is read in canonical order as binary array images (id ranges
 * read at once by `readers`, each in the close transaction's exported snapshot, when the giveaway counts many
 * participants; one range on `tx` otherwise), then stored from those same bytes cut into chunks
 * (draw_entrant_chunks: 16 rows for 1M entrants, not 1M rows and index entries). `onRead` gets the decoded
 * columns while the insert still runs, so the Merkle tree is built during the write rather than after a second
 * read. Returns how many were frozen.
 */
export async function freezeEntrantColumns(
  tx: pg.ClientBase,
  giveawayId: string,
  onRead: (columns: EntrantColumns) => void,
  ranged?: { readers: EntrantRangeReaders; participants: number },
): Promise<number> {
  let ranges: EntrantImages[];
  if (ranged && ranged.readers.parts > 1 && ranged.participants >= RANGED_READ_MIN) {
    // The snapshot is taken with the giveaway row locked: it holds every join that committed before the lock.
    const [snap] = await db.sql<db.SQL, Array<{ snapshot: string; min: string | null; max: string | null }>>`
      SELECT pg_export_snapshot() AS snapshot,
        (SELECT min(user_id) FROM participants WHERE giveaway_id = ${db.param(giveawayId)}) AS min,
        (SELECT max(user_id) FROM participants WHERE giveaway_id = ${db.param(giveawayId)}) AS max`.run(tx);
    if (!snap) throw new Error('pg_export_snapshot returned no row');
    const split =
      snap.min === null || snap.max === null
        ? [{ from: null, to: null }]
        : splitIdRange(BigInt(snap.min), BigInt(snap.max), ranged.readers.parts);
    ranges = await ranged.readers.read(giveawayId, snap.snapshot, split);
  } else {
    ranges = [await copyEntrantRange(tx, giveawayId, { from: null, to: null })];
  }
  const written = copyEntrantImages(tx, giveawayId, ranges);
  try {
    onRead(columnsFromImages(ranges));
  } catch (err) {
    // The insert is already queued on this connection; let it settle before the transaction is rolled back.
    await written.catch(() => undefined);
    throw err;
  }
  return written;
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
