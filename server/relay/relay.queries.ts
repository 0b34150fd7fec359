// SQL of the change relay: the realtime state of notified or live giveaways, and draw results to publish.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type {
  ClaimedEvent,
  DrawnEvent,
  DrawnWinner,
  RerolledEvent,
  WinnerChangedEvent,
} from '../../schema/contract/realtime.ts';

export interface GiveawayState {
  id: string;
  version: number;
  status: s.giveaway_status;
  participantsCount: number;
  contentVersion: number;
  /** Rerolls appended to the proof so far: the relay emits the ones it has not sent yet. */
  rerollsCount: number;
  /** Claims and changes of holder so far (winner_events): the relay emits the ones it has not sent yet. */
  winnerEventsCount: number;
}

interface StateRow {
  id: string;
  version: string;
  status: s.giveaway_status;
  participants_count: number;
  content_version: string;
  rerolls_count: number;
  winner_events_count: number;
}

const toState = (r: StateRow): GiveawayState => ({
  id: r.id,
  version: Number(r.version),
  status: r.status,
  participantsCount: r.participants_count,
  contentVersion: Number(r.content_version),
  rerollsCount: r.rerolls_count,
  winnerEventsCount: r.winner_events_count,
});

/** One statement per tick whatever the number of notified giveaways. Deleted ones are simply absent. */
export async function selectStates(client: db.Queryable, ids: readonly string[]): Promise<GiveawayState[]> {
  if (ids.length === 0) return [];
  const rows = await db.sql<s.giveaways.SQL, StateRow[]>`
    SELECT ${'id'}, ${'version'}, ${'status'}, ${'participants_count'}, ${'content_version'},
      ${'rerolls_count'}, ${'winner_events_count'} FROM ${'giveaways'}
    WHERE ${'id'} = ANY(${db.param(ids)}::uuid[])`.run(client);
  return rows.map(toState);
}

/**
 * What a resync re-reads: every live giveaway and every one finished recently (its status or draw may have
 * changed while nobody relayed). The two branches match the partial indexes on live and finished statuses.
 */
export async function selectResyncStates(client: db.Queryable, recentSec: number): Promise<GiveawayState[]> {
  const rows = await db.sql<s.giveaways.SQL, StateRow[]>`
    SELECT ${'id'}, ${'version'}, ${'status'}, ${'participants_count'}, ${'content_version'},
      ${'rerolls_count'}, ${'winner_events_count'} FROM ${'giveaways'}
    WHERE ${'status'} IN ('scheduled', 'active', 'drawing', 'pending')
    UNION ALL
    SELECT ${'id'}, ${'version'}, ${'status'}, ${'participants_count'}, ${'content_version'},
      ${'rerolls_count'}, ${'winner_events_count'} FROM ${'giveaways'}
    WHERE ${'status'} IN ('completed', 'cancelled')
      AND ${'updated_at'} > now() - make_interval(secs => ${db.param(recentSec)})`.run(client);
  return rows.map(toState);
}

/** The database's clock: where a resync's view of history starts. */
export async function selectNow(client: db.Queryable): Promise<Date> {
  const rows = await db.sql<db.SQL, Array<{ now: Date }>>`SELECT now()`.run(client);
  return (rows[0] as { now: Date }).now;
}

/** How many of each giveaway's rerolls and winner events were made after `since` (the ones not yet relayed). */
export async function selectRecentHistory(
  client: db.Queryable,
  ids: readonly string[],
  since: Date,
): Promise<Map<string, { rerolls: number; winnerEvents: number }>> {
  const out = new Map<string, { rerolls: number; winnerEvents: number }>();
  if (ids.length === 0) return out;
  const rows = await db.sql<db.SQL, Array<{ id: string; rerolls: number; winner_events: number }>>`
    SELECT g.id,
      (SELECT count(*)::int FROM draw_rerolls r
        WHERE r.giveaway_id = g.id AND r.created_at > ${db.param(since)}) AS rerolls,
      (SELECT count(*)::int FROM winner_events e
        WHERE e.giveaway_id = g.id AND e.created_at > ${db.param(since)}) AS winner_events
    FROM unnest(${db.param(ids)}::uuid[]) AS g(id)`.run(client);
  for (const r of rows) out.set(r.id, { rerolls: r.rerolls, winnerEvents: r.winner_events });
  return out;
}

/** The resync of a local relay: among the giveaways this node's sockets watch, the live and recently finished. */
export async function selectResyncStatesAmong(
  client: db.Queryable,
  ids: readonly string[],
  recentSec: number,
): Promise<GiveawayState[]> {
  if (ids.length === 0) return [];
  const rows = await db.sql<s.giveaways.SQL, StateRow[]>`
    SELECT ${'id'}, ${'version'}, ${'status'}, ${'participants_count'}, ${'content_version'},
      ${'rerolls_count'}, ${'winner_events_count'} FROM ${'giveaways'}
    WHERE ${'id'} = ANY(${db.param(ids)}::uuid[])
      AND (${'status'} IN ('scheduled', 'active', 'drawing', 'pending')
        OR ${'updated_at'} > now() - make_interval(secs => ${db.param(recentSec)}))`.run(client);
  return rows.map(toState);
}

export type DrawResult = Pick<DrawnEvent, 'winners' | 'proof'>;

/** Winners by place with their prizes, and the proof summary, for a set of completed giveaways. */
export async function selectDrawResults(
  client: db.Queryable,
  ids: readonly string[],
): Promise<Map<string, DrawResult>> {
  const out = new Map<string, DrawResult>();
  if (ids.length === 0) return out;
  const [proofs, winners] = await Promise.all([
    db.sql<
      db.SQL,
      Array<{
        id: string;
        seed_commitment: string | null;
        entrants_root: string | null;
        entrants_count: number | null;
      }>
    >`
      SELECT g.id, c.seed_commitment,
        COALESCE(p.entrants_root, p.bundle->>'entrants_root') AS entrants_root,
        COALESCE(p.entrants_count, (p.bundle->>'entrants_count')::int) AS entrants_count
      FROM unnest(${db.param(ids)}::uuid[]) AS g(id)
      LEFT JOIN draw_commitments c ON c.giveaway_id = g.id
      LEFT JOIN draw_proofs p ON p.giveaway_id = g.id`.run(client),
    db.sql<
      db.SQL,
      Array<{
        giveaway_id: string;
        place: number;
        user_id: string;
        username: string | null;
        prizes: DrawnWinner['prizes'];
      }>
    >`
      SELECT w.giveaway_id, w.place, w.user_id, u.username,
        COALESCE(json_agg(json_build_object(
            'title', r.prize_title, 'description', r.prize_description, 'quantity', r.quantity)
          ORDER BY r.giveaway_prize_id NULLS LAST, r.created_at, r.id) FILTER (WHERE r.id IS NOT NULL),
          '[]') AS prizes
      FROM winners w
      LEFT JOIN users u ON u.id = w.user_id
      LEFT JOIN win_records r ON r.giveaway_id = w.giveaway_id AND r.place = w.place
      WHERE w.giveaway_id = ANY(${db.param(ids)}::uuid[])
      GROUP BY w.giveaway_id, w.place, w.user_id, u.username
      ORDER BY w.giveaway_id, w.place`.run(client),
  ]);
  for (const p of proofs) {
    out.set(p.id, {
      winners: [],
      proof: {
        seed_commitment: p.seed_commitment,
        entrants_root: p.entrants_root,
        entrants_count: p.entrants_count ?? 0,
      },
    });
  }
  for (const w of winners) {
    out.get(w.giveaway_id)?.winners.push({
      place: w.place,
      user_id: Number(w.user_id),
      ...(w.username ? { username: w.username } : {}),
      prizes: w.prizes,
    });
  }
  return out;
}

export type Reroll = Pick<RerolledEvent, 'place' | 'replaced_user_id' | 'by_user_id' | 'reason'>;

/** The rerolls of each giveaway after the first `after` ones, in order, read from its proof bundle. */
export async function selectRerollsAfter(
  client: db.Queryable,
  wanted: ReadonlyArray<{ id: string; after: number }>,
): Promise<Map<string, Reroll[]>> {
  const out = new Map<string, Reroll[]>();
  if (wanted.length === 0) return out;
  const rows = await db.sql<db.SQL, Array<{ giveaway_id: string; reroll: Record<string, unknown> }>>`
    SELECT w.id AS giveaway_id, r.value AS reroll
    FROM unnest(${db.param(wanted.map((w) => w.id))}::uuid[], ${db.param(wanted.map((w) => w.after))}::int[])
      AS w(id, after)
    JOIN draw_proofs p ON p.giveaway_id = w.id
    CROSS JOIN LATERAL jsonb_array_elements(COALESCE(p.bundle->'rerolls', '[]'::jsonb))
      WITH ORDINALITY AS r(value, ord)
    WHERE r.ord > w.after
    ORDER BY w.id, r.ord`.run(client);
  for (const { giveaway_id, reroll } of rows) {
    const list = out.get(giveaway_id) ?? [];
    list.push({
      place: Number(reroll.place),
      replaced_user_id: Number(reroll.replaced_user_id),
      by_user_id: Number(reroll.by_user_id),
      reason: String(reroll.reason),
    });
    out.set(giveaway_id, list);
  }
  return out;
}

export type WinnerEvent =
  | {
      event: 'giveaway:winner_changed';
      fields: Pick<WinnerChangedEvent, 'place' | 'previous_user_id' | 'user_id' | 'reason'>;
    }
  | { event: 'giveaway:claimed'; fields: Pick<ClaimedEvent, 'place' | 'user_id'> };

/** The winner events (claims, changes of holder) of each giveaway after the first `after` ones, in order. */
export async function selectWinnerEventsAfter(
  client: db.Queryable,
  wanted: ReadonlyArray<{ id: string; after: number }>,
): Promise<Map<string, WinnerEvent[]>> {
  const out = new Map<string, WinnerEvent[]>();
  if (wanted.length === 0) return out;
  const rows = await db.sql<
    db.SQL,
    Array<{
      giveaway_id: string;
      kind: 'claimed' | 'changed';
      place: number;
      previous_user_id: string | null;
      user_id: string | null;
      reason: string | null;
    }>
  >`
    SELECT e.giveaway_id, e.kind, e.place, e.previous_user_id, e.user_id, e.reason
    FROM unnest(${db.param(wanted.map((w) => w.id))}::uuid[], ${db.param(wanted.map((w) => w.after))}::int[])
      AS w(id, after)
    JOIN winner_events e ON e.giveaway_id = w.id AND e.seq > w.after
    ORDER BY e.giveaway_id, e.seq`.run(client);
  for (const r of rows) {
    const list = out.get(r.giveaway_id) ?? [];
    list.push(
      r.kind === 'claimed'
        ? { event: 'giveaway:claimed', fields: { place: r.place, user_id: Number(r.user_id) } }
        : {
            event: 'giveaway:winner_changed',
            fields: {
              place: r.place,
              previous_user_id: Number(r.previous_user_id),
              user_id: r.user_id === null ? null : Number(r.user_id),
              reason: r.reason ?? 'other',
            },
          },
    );
    out.set(r.giveaway_id, list);
  }
  return out;
}
