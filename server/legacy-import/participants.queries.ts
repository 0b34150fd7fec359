// SQL for the bulk of an import: participants (millions of rows, one multi-row statement per batch across
// giveaways), their tickets, the participants_count they imply, and the frozen entrants of pending ones.
import type pg from 'pg';
import * as db from 'zapatos/db';
import { freezeEntrantRows } from '../draws/index.ts';
import { copyIn } from './copy-stream.ts';

export interface ParticipantBatch {
  /** Distinct giveaways of the batch and their joined_at (legacy joins have no time: the giveaway's creation). */
  giveawayIds: string[];
  joinedAt: string[];
  /** Per row: index into giveawayIds, and the user. */
  giveawayIndex: number[];
  userIds: number[];
}

/** COPY's text for a batch: one `giveaway index, user` line per row. */
function participantCopyText(batch: ParticipantBatch): string {
  const { giveawayIndex, userIds } = batch;
  let text = '';
  for (let i = 0; i < userIds.length; i++) text += `${giveawayIndex[i]}\t${userIds[i]}\n`;
  return text;
}

/**
 * How the participants insert checks its foreign keys (users, giveaways):
 * - `per-row`: PostgreSQL's own triggers, a lookup and a row lock per inserted row;
 * - `set`: the same lookups and locks (FOR KEY SHARE, as the triggers take them) in one statement for the whole
 *   batch, then the insert with the per-row triggers off. Every reference is still checked, inside the same
 *   transaction, and held until it commits; a batch with a missing reference goes the per-row way and fails with
 *   the usual foreign-key error. PostgreSQL's CPU per row is about halved (bench/legacy-import). Superuser only
 *   (session_replication_role), and only while participants has no triggers or foreign keys besides those two;
 * - `off`: pg_restore's --disable-triggers: no check at all (the importer wrote every reference before).
 */
export type ReferenceChecks = 'per-row' | 'set' | 'off';

export interface InsertOptions {
  checks?: ReferenceChecks;
  /**
   * Every giveaway of the batch was inserted by this run, so no row can be there already unless someone
   * else wrote it meanwhile: a plain INSERT, without ON CONFLICT's extra index probe per row. A row that
   * is there after all fails the statement (unique_violation); the caller then retries with the probe.
   */
  fresh?: boolean;
}

/**
 * Returns how many rows were new; rows already there (a rerun, a resumed run) are left alone. The batch is
 * COPYed into a session-local staging table, then moved with one INSERT … SELECT: PostgreSQL parses COPY's
 * text at a fraction of the cost of bound array parameters. Must run in a transaction (staging is emptied
 * first, so a dry run's savepoints see only their own batch). See ReferenceChecks for `checks`; the session
 * setting that turns the per-row triggers off is restored at once.
 */
export async function insertParticipants(
  tx: pg.ClientBase,
  batch: ParticipantBatch,
  { checks = 'per-row', fresh = false }: InsertOptions = {},
): Promise<number> {
  if (batch.userIds.length === 0) return 0;
  await db.sql`
    CREATE TEMP TABLE IF NOT EXISTS import_participants (gi int NOT NULL, u bigint NOT NULL)
    ON COMMIT DELETE ROWS`.run(tx);
  await db.sql`TRUNCATE import_participants`.run(tx);
  await copyIn(tx, 'COPY import_participants (gi, u) FROM STDIN', participantCopyText(batch));
  const triggersOff = checks === 'off' || (checks === 'set' && (await lockReferences(tx, batch.giveawayIds)));
  if (triggersOff) await db.sql`SET LOCAL session_replication_role = replica`.run(tx);
  const query = db.sql`
    INSERT INTO participants (giveaway_id, user_id, joined_at, source)
    SELECT g.id, s.u, g.joined_at, 'import'
    FROM import_participants s
    JOIN unnest(${db.param(batch.giveawayIds)}::uuid[], ${db.param(batch.joinedAt)}::timestamptz[])
      WITH ORDINALITY AS g(id, joined_at, gi) ON g.gi = s.gi
    ORDER BY s.gi, s.u
    ${fresh ? db.raw('') : db.raw('ON CONFLICT DO NOTHING')}`.compile();
  const result = await tx.query(query);
  if (triggersOff) await db.sql`SET LOCAL session_replication_role = origin`.run(tx);
  return result.rowCount ?? 0;
}

/**
 * The `set` check of the staged batch: locks every user and giveaway it refers to as the foreign-key triggers
 * would (FOR KEY SHARE: nobody can delete them or change their id until this transaction ends) and tells
 * whether all of them exist. The users are probed through their primary key with one sorted array.
 */
export async function lockReferences(tx: pg.ClientBase, giveawayIds: readonly string[]): Promise<boolean> {
  const [row] = await db.sql<db.SQL, Array<{ held: boolean }>>`
    WITH wanted AS (SELECT ARRAY(SELECT DISTINCT u FROM import_participants ORDER BY u) AS ids),
    users_held AS (
      SELECT x.id FROM users x WHERE x.id = ANY((SELECT ids FROM wanted)::bigint[]) FOR KEY SHARE OF x),
    giveaways_held AS (
      SELECT g.id FROM giveaways g WHERE g.id = ANY(${db.param(giveawayIds)}::uuid[]) FOR KEY SHARE OF g)
    SELECT (SELECT count(*) FROM users_held) = (SELECT cardinality(ids) FROM wanted)
       AND (SELECT count(*) FROM giveaways_held)
         = (SELECT count(DISTINCT id) FROM unnest(${db.param(giveawayIds)}::uuid[]) AS id) AS held`.run(tx);
  return row?.held === true;
}

/** A unique violation: a `fresh` batch met a row that was there after all. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

/**
 * The checks a run uses: `off` when asked (and possible: it throws why not), else `set` where the per-row
 * triggers may be turned off and the set check covers every foreign key participants has, else `per-row`.
 */
export async function chooseReferenceChecks(
  client: db.Queryable,
  disableTriggers: boolean,
): Promise<ReferenceChecks> {
  const why = await triggersCannotBeDisabled(client);
  if (disableTriggers) {
    if (why) throw new Error(`--disable-triggers is not possible: ${why}`);
    return 'off';
  }
  if (why) return 'per-row';
  const [row] = await db.sql<db.SQL, Array<{ keys: string[] }>>`
    SELECT ARRAY(
      SELECT c.confrelid::regclass::text || '(' || pg_get_constraintdef(c.oid) || ')'
      FROM pg_constraint c WHERE c.conrelid = 'participants'::regclass AND c.contype = 'f'
      ORDER BY 1) AS keys`.run(client);
  const known = [
    'giveaways(FOREIGN KEY (giveaway_id) REFERENCES giveaways(id) ON DELETE CASCADE)',
    'users(FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE)',
  ];
  return JSON.stringify(row?.keys) === JSON.stringify(known) ? 'set' : 'per-row';
}

/** Why triggers cannot be disabled for the import, or null when they can. */
export async function triggersCannotBeDisabled(client: db.Queryable): Promise<string | null> {
  const [row] = await db.sql<db.SQL, Array<{ superuser: boolean; triggers: string[] }>>`
    SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
      ARRAY(SELECT tgname::text FROM pg_trigger WHERE tgrelid = 'participants'::regclass AND NOT tgisinternal)
        AS triggers`.run(client);
  if (!row?.superuser) return 'the database user is not a superuser (session_replication_role needs it)';
  // Only the foreign-key checks may be skipped; a trigger added to participants later must still run.
  if (row.triggers.length > 0) return `participants has triggers of its own (${row.triggers.join(', ')})`;
  return null;
}

export interface TicketRow {
  userId: number;
  count: number;
}

/** Ticket holders who are not participants: the legacy grant required it, our foreign key does too. */
export async function selectNonParticipants(
  client: db.Queryable,
  giveawayId: string,
  userIds: readonly number[],
): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db.sql<db.SQL, Array<{ u: string }>>`
    SELECT t.u FROM unnest(${db.param(userIds)}::bigint[]) AS t(u)
    WHERE NOT EXISTS (SELECT 1 FROM participants p
      WHERE p.giveaway_id = ${db.param(giveawayId)} AND p.user_id = t.u)`.run(client);
  return rows.map((r) => Number(r.u));
}

export async function upsertTickets(
  client: db.Queryable,
  giveawayId: string,
  createdAt: Date,
  tickets: readonly TicketRow[],
): Promise<{ inserted: number; updated: number }> {
  if (tickets.length === 0) return { inserted: 0, updated: 0 };
  const rows = await db.sql<db.SQL, Array<{ inserted: boolean }>>`
    INSERT INTO tickets (giveaway_id, user_id, count, created_at, updated_at)
    SELECT ${db.param(giveawayId)}, t.u, t.c, ${db.param(createdAt.toISOString())}, ${db.param(createdAt.toISOString())}
    FROM unnest(${db.param(tickets.map((t) => t.userId))}::bigint[], ${db.param(tickets.map((t) => t.count))}::int[]) AS t(u, c)
    ON CONFLICT (giveaway_id, user_id) DO UPDATE SET count = EXCLUDED.count
    WHERE tickets.count IS DISTINCT FROM EXCLUDED.count
    RETURNING (xmax = 0) AS inserted`.run(client);
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/** Sets participants_count from the rows actually imported where it differs; returns every giveaway's count. */
export async function syncParticipantCounts(
  client: db.Queryable,
  ids: readonly string[],
): Promise<{ counts: Map<string, number>; changed: string[] }> {
  if (ids.length === 0) return { counts: new Map(), changed: [] };
  const counted = await db.sql<db.SQL, Array<{ id: string; n: number }>>`
    SELECT ids.id, (SELECT count(*)::int FROM participants p WHERE p.giveaway_id = ids.id) AS n
    FROM unnest(${db.param(ids)}::uuid[]) AS ids(id)`.run(client);
  const counts = new Map(counted.map((r) => [r.id, r.n]));
  const changed = await db.sql<db.SQL, Array<{ id: string }>>`
    UPDATE giveaways g SET participants_count = c.n
    FROM unnest(${db.param(counted.map((r) => r.id))}::uuid[], ${db.param(counted.map((r) => r.n))}::int[]) AS c(id, n)
    WHERE g.id = c.id AND g.participants_count <> c.n
    RETURNING g.id`.run(client);
  return { counts, changed: changed.map((r) => r.id) };
}

/**
 * Pending giveaways were closed in the legacy system: freeze their entrants as our close does, so the manual
 * flow and the 24 h fallback draw have them. Refrozen only when the stored entrants or weights are off. Returns
 * how many entrants were frozen (the report's draw_entrants figure), 0 when the stored list was kept.
 */
export async function freezeEntrants(client: db.Queryable, giveawayId: string): Promise<number> {
  const [row] = await db.sql<db.SQL, Array<{ same: boolean }>>`
    SELECT (SELECT count(*) || ':' || COALESCE(sum(e.weight), 0)
              FROM draw_entrant_chunks c, unnest(c.weights) AS e(weight)
              WHERE c.giveaway_id = ${db.param(giveawayId)})
         = (SELECT count(*) || ':' || COALESCE(sum(LEAST(1 + COALESCE(t.count, 0)::bigint, 2147483647)), 0)
              FROM participants p
              LEFT JOIN tickets t ON t.giveaway_id = p.giveaway_id AND t.user_id = p.user_id
              WHERE p.giveaway_id = ${db.param(giveawayId)}) AS same`.run(client);
  if (row?.same) return 0;
  await db.sql`DELETE FROM draw_entrant_chunks WHERE giveaway_id = ${db.param(giveawayId)}`.run(client);
  return freezeEntrantRows(client, giveawayId);
}
