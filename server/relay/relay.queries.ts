// SQL of the change relay: the realtime state of notified or live giveaways, and draw results to publish.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type { DrawnEvent, DrawnWinner, RerolledEvent } from '../../schema/contract/realtime.ts';

export interface GiveawayState {
  id: string;
  version: number;
  status: s.giveaway_status;
  participantsCount: number;
  contentVersion: number;
  /** Rerolls appended to the proof so far: the relay emits the ones it has not sent yet. */
  rerollsCount: number;
}

interface StateRow {
  id: string;
  version: string;
  status: s.giveaway_status;
  participants_count: number;
  content_version: string;
  rerolls_count: number;
}

const toState = (r: StateRow): GiveawayState => ({
  id: r.id,
  version: Number(r.version),
  status: r.status,
  participantsCount: r.participants_count,
  contentVersion: Number(r.content_version),
  rerollsCount: r.rerolls_count,
});

/** One statement per tick whatever the number of notified giveaways. Deleted ones are simply absent. */
export async function selectStates(client: db.Queryable, ids: readonly string[]): Promise<GiveawayState[]> {
  if (ids.length === 0) return [];
  const rows = await db.sql<s.giveaways.SQL, StateRow[]>`
    SELECT ${'id'}, ${'version'}, ${'status'}, ${'participants_count'}, ${'content_version'},
      ${'rerolls_count'} FROM ${'giveaways'}
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
      ${'rerolls_count'} FROM ${'giveaways'}
    WHERE ${'status'} IN ('scheduled', 'active', 'drawing', 'pending')
    UNION ALL
    SELECT ${'id'}, ${'version'}, ${'status'}, ${'participants_count'}, ${'content_version'},
      ${'rerolls_count'} FROM ${'giveaways'}
    WHERE ${'status'} IN ('completed', 'cancelled')
      AND ${'updated_at'} > now() - make_interval(secs => ${db.param(recentSec)})`.run(client);
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
