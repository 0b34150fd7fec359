// SQL for the giveaway rows and their definition (requirements, prizes, sponsors). Child lists are compared
// with what is stored and replaced only when they differ, so a rerun leaves rows, ids and versions alone.
import * as db from 'zapatos/db';
import type { GiveawayPlan, GiveawayRow } from './giveaway-mapping.ts';
import { iso } from './legacy-values.ts';

export interface StoredState {
  status: GiveawayRow['status'];
  closed: boolean;
  /** A draw run, a proof of this server's own (random or manual), or its committed entrant root exists. */
  serverDraw: boolean;
}

/** What this server has done with already imported giveaways since (see isTakenOver). */
export async function selectStoredStates(
  client: db.Queryable,
  ids: readonly string[],
): Promise<Map<string, StoredState>> {
  const rows = await db.sql<
    db.SQL,
    Array<{ id: string; status: StoredState['status']; closed: boolean; server_draw: boolean }>
  >`
    SELECT g.id, g.status, g.closed_at IS NOT NULL AS closed,
      EXISTS (SELECT 1 FROM draw_runs r WHERE r.giveaway_id = g.id)
        OR EXISTS (SELECT 1 FROM draw_proofs p WHERE p.giveaway_id = g.id AND p.mode <> 'imported')
        OR EXISTS (SELECT 1 FROM draw_commitments c WHERE c.giveaway_id = g.id AND c.entrants_root IS NOT NULL)
        AS server_draw
    FROM giveaways g WHERE g.id = ANY(${db.param(ids)}::uuid[])`.run(client);
  return new Map(rows.map((r) => [r.id, { status: r.status, closed: r.closed, serverDraw: r.server_draw }]));
}

/**
 * A giveaway this server has moved on since an earlier import (closed it, is drawing it, drew it, or its
 * creator decided it by hand): importing the legacy state over it would undo real work.
 */
export function isTakenOver(stored: StoredState | undefined, planned: GiveawayRow): boolean {
  if (!stored) return false;
  if (stored.serverDraw) return true;
  if (planned.status === 'active') return stored.closed || stored.status !== 'active';
  if (planned.status === 'pending') return stored.status !== 'pending';
  return false;
}

const col = <K extends keyof GiveawayRow>(rows: readonly GiveawayRow[], k: K) => rows.map((r) => r[k]);
const times = (rows: readonly GiveawayRow[], k: keyof GiveawayRow) =>
  rows.map((r) => iso(r[k] as Date | null));

/**
 * participants_count is written on insert only (the set size, corrected after the participants are in);
 * every other column is compared, and an unchanged row is not touched (no version bump, no NOTIFY).
 */
export async function upsertGiveaways(
  client: db.Queryable,
  rows: readonly GiveawayRow[],
  participantHints: readonly number[],
): Promise<Array<{ id: string; inserted: boolean }>> {
  if (rows.length === 0) return [];
  return db.sql<db.SQL, Array<{ id: string; inserted: boolean }>>`
    INSERT INTO giveaways (id, creator_id, title, description, status, started_at, ends_at, duration,
      winners_count, max_participants, allow_tickets, auto_distribute, pending_since, closed_at, finished_at,
      created_at, updated_at, participants_count)
    SELECT * FROM unnest(
      ${db.param(col(rows, 'id'))}::uuid[], ${db.param(col(rows, 'creator_id'))}::bigint[],
      ${db.param(col(rows, 'title'))}::text[], ${db.param(col(rows, 'description'))}::text[],
      ${db.param(col(rows, 'status'))}::giveaway_status[], ${db.param(times(rows, 'started_at'))}::timestamptz[],
      ${db.param(times(rows, 'ends_at'))}::timestamptz[], ${db.param(col(rows, 'duration'))}::int[],
      ${db.param(col(rows, 'winners_count'))}::int[], ${db.param(col(rows, 'max_participants'))}::int[],
      ${db.param(col(rows, 'allow_tickets'))}::boolean[], ${db.param(col(rows, 'auto_distribute'))}::boolean[],
      ${db.param(times(rows, 'pending_since'))}::timestamptz[], ${db.param(times(rows, 'closed_at'))}::timestamptz[],
      ${db.param(times(rows, 'finished_at'))}::timestamptz[], ${db.param(times(rows, 'created_at'))}::timestamptz[],
      ${db.param(times(rows, 'updated_at'))}::timestamptz[], ${db.param(participantHints)}::int[])
    ON CONFLICT (id) DO UPDATE SET creator_id = EXCLUDED.creator_id, title = EXCLUDED.title,
      description = EXCLUDED.description, status = EXCLUDED.status, started_at = EXCLUDED.started_at,
      ends_at = EXCLUDED.ends_at, duration = EXCLUDED.duration, winners_count = EXCLUDED.winners_count,
      max_participants = EXCLUDED.max_participants, allow_tickets = EXCLUDED.allow_tickets,
      auto_distribute = EXCLUDED.auto_distribute, pending_since = EXCLUDED.pending_since,
      closed_at = EXCLUDED.closed_at, finished_at = EXCLUDED.finished_at, created_at = EXCLUDED.created_at
    WHERE (giveaways.creator_id, giveaways.title, giveaways.description, giveaways.status,
        giveaways.started_at, giveaways.ends_at, giveaways.duration, giveaways.winners_count,
        giveaways.max_participants, giveaways.allow_tickets, giveaways.auto_distribute,
        giveaways.pending_since, giveaways.closed_at, giveaways.finished_at, giveaways.created_at)
      IS DISTINCT FROM (EXCLUDED.creator_id, EXCLUDED.title, EXCLUDED.description, EXCLUDED.status,
        EXCLUDED.started_at, EXCLUDED.ends_at, EXCLUDED.duration, EXCLUDED.winners_count,
        EXCLUDED.max_participants, EXCLUDED.allow_tickets, EXCLUDED.auto_distribute,
        EXCLUDED.pending_since, EXCLUDED.closed_at, EXCLUDED.finished_at, EXCLUDED.created_at)
    RETURNING id, (xmax = 0) AS inserted`.run(client);
}

/** Canonical text of each giveaway's stored definition lists, to compare with the plan's. */
export async function selectDefinitions(
  client: db.Queryable,
  ids: readonly string[],
): Promise<Map<string, { requirements: string; prizes: string; sponsors: string }>> {
  const rows = await db.sql<
    db.SQL,
    Array<{ id: string; requirements: unknown; prizes: unknown; sponsors: unknown }>
  >`
    SELECT g.id,
      (SELECT COALESCE(json_agg(json_build_array(r.type, r.channel_id::text, r.channel_username, r.name,
         r.description) ORDER BY r.position), '[]') FROM requirements r WHERE r.giveaway_id = g.id) AS requirements,
      (SELECT COALESCE(json_agg(json_build_array(p.place, p.prize_id, p.title, p.description, p.quantity)
         ORDER BY p.position), '[]') FROM giveaway_prizes p WHERE p.giveaway_id = g.id) AS prizes,
      (SELECT COALESCE(json_agg(s.sponsor_id::text ORDER BY s.position), '[]')
         FROM giveaway_sponsors s WHERE s.giveaway_id = g.id) AS sponsors
    FROM giveaways g WHERE g.id = ANY(${db.param(ids)}::uuid[])`.run(client);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        requirements: JSON.stringify(r.requirements),
        prizes: JSON.stringify(r.prizes),
        sponsors: JSON.stringify(r.sponsors),
      },
    ]),
  );
}

export function planDefinitions(plan: GiveawayPlan): {
  requirements: string;
  prizes: string;
  sponsors: string;
} {
  return {
    requirements: JSON.stringify(
      plan.requirements.map((r) => [
        r.type,
        r.channel_id === null ? null : String(r.channel_id),
        r.channel_username,
        r.name,
        r.description,
      ]),
    ),
    prizes: JSON.stringify(plan.prizes.map((p) => [p.place, p.prize_id, p.title, p.description, p.quantity])),
    sponsors: JSON.stringify(plan.sponsors.map((s) => String(s.id))),
  };
}

export async function replaceRequirements(
  client: db.Queryable,
  plans: readonly GiveawayPlan[],
): Promise<number> {
  if (plans.length === 0) return 0;
  await db.sql`DELETE FROM requirements WHERE giveaway_id = ANY(${db.param(plans.map((p) => p.row.id))}::uuid[])`.run(
    client,
  );
  const rows = plans.flatMap((p) => p.requirements.map((r, position) => ({ ...r, position, g: p.row })));
  if (rows.length === 0) return 0;
  await db.sql`
    INSERT INTO requirements (giveaway_id, position, type, channel_id, channel_username, name, description, created_at)
    SELECT * FROM unnest(
      ${db.param(rows.map((r) => r.g.id))}::uuid[], ${db.param(rows.map((r) => r.position))}::int[],
      ${db.param(rows.map((r) => r.type))}::requirement_type[], ${db.param(rows.map((r) => r.channel_id))}::bigint[],
      ${db.param(rows.map((r) => r.channel_username))}::text[], ${db.param(rows.map((r) => r.name))}::text[],
      ${db.param(rows.map((r) => r.description))}::text[],
      ${db.param(rows.map((r) => r.g.created_at.toISOString()))}::timestamptz[])`.run(client);
  return rows.length;
}

/** Win records point at prize rows: callers replace results after prizes (see results.queries.ts). */
export async function replacePrizes(client: db.Queryable, plans: readonly GiveawayPlan[]): Promise<number> {
  if (plans.length === 0) return 0;
  await db.sql`DELETE FROM giveaway_prizes WHERE giveaway_id = ANY(${db.param(plans.map((p) => p.row.id))}::uuid[])`.run(
    client,
  );
  const rows = plans.flatMap((p) => p.prizes.map((prize) => ({ ...prize, g: p.row })));
  if (rows.length === 0) return 0;
  await db.sql`
    INSERT INTO giveaway_prizes (giveaway_id, prize_id, position, place, title, description, quantity, created_at)
    SELECT * FROM unnest(
      ${db.param(rows.map((r) => r.g.id))}::uuid[], ${db.param(rows.map((r) => r.prize_id))}::uuid[],
      ${db.param(rows.map((r) => r.position))}::int[], ${db.param(rows.map((r) => r.place))}::int[],
      ${db.param(rows.map((r) => r.title))}::text[], ${db.param(rows.map((r) => r.description))}::text[],
      ${db.param(rows.map((r) => r.quantity))}::int[],
      ${db.param(rows.map((r) => r.g.created_at.toISOString()))}::timestamptz[])`.run(client);
  return rows.length;
}

export async function replaceSponsors(client: db.Queryable, plans: readonly GiveawayPlan[]): Promise<number> {
  if (plans.length === 0) return 0;
  await db.sql`DELETE FROM giveaway_sponsors WHERE giveaway_id = ANY(${db.param(plans.map((p) => p.row.id))}::uuid[])`.run(
    client,
  );
  const rows = plans.flatMap((p) => p.sponsors.map((s, position) => ({ id: s.id, position, g: p.row })));
  if (rows.length === 0) return 0;
  await db.sql`
    INSERT INTO giveaway_sponsors (giveaway_id, sponsor_id, position, created_at)
    SELECT * FROM unnest(
      ${db.param(rows.map((r) => r.g.id))}::uuid[], ${db.param(rows.map((r) => r.id))}::bigint[],
      ${db.param(rows.map((r) => r.position))}::int[],
      ${db.param(rows.map((r) => r.g.created_at.toISOString()))}::timestamptz[])`.run(client);
  return rows.length;
}
