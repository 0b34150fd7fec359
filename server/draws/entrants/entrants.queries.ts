// SQL of frozen entrants: the whole canonical list, for drawing, verifying and streaming beside the proof.
import * as db from 'zapatos/db';
import type { EntrantColumns } from '../protocol/index.ts';
import { parseEntrantArrays } from './pg-int-arrays.ts';

/**
 * Every frozen entrant as columns in canonical order, for freezing at draw time. The id range is cut into
 * `parts` slices read at once on separate connections (PostgreSQL aggregates each on its own core), each as two
 * aggregated arrays (~13 characters an entrant, no per-row message or object), decoded straight into shared
 * memory for the Merkle worker threads. Order comes from the ranges; the protocol re-checks it anyway.
 */
export async function readEntrantColumns(
  pool: db.Queryable,
  giveawayId: string,
  parts = 4,
): Promise<EntrantColumns> {
  const bounds = await db.sql<db.SQL, Array<{ lo: string | null; hi: string | null }>>`
    SELECT min(user_id)::text AS lo, max(user_id)::text AS hi FROM draw_entrants
    WHERE giveaway_id = ${db.param(giveawayId)}`.run(pool);
  const { lo, hi } = bounds[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null)
    return { idHi: new Uint32Array(0), idLo: new Uint32Array(0), weights: new Uint32Array(0) };
  // Equal id spans: uneven for skewed ids, which costs balance, never correctness.
  const first = BigInt(lo);
  const span = BigInt(hi) - first + 1n;
  const cuts = Array.from({ length: parts + 1 }, (_, i) =>
    (first + (span * BigInt(i)) / BigInt(parts)).toString(),
  );
  const slices = await Promise.all(
    cuts.slice(0, -1).map((from, i) =>
      // The last slice has no upper bound: max + 1 may not fit a bigint.
      selectEntrantColumns(pool, giveawayId, i === parts - 1 ? { from } : { from, to: cuts[i + 1] }),
    ),
  );
  return concatColumns(slices);
}

/**
 * Frozen entrants as columns: ids in [from, to) (no `to`: no upper bound), or a keyset page (user_id > after,
 * at most limit: the NDJSON stream), or the whole list.
 */
export async function selectEntrantColumns(
  client: db.Queryable,
  giveawayId: string,
  slice?: { after: string; limit: number } | { from: string; to?: string | undefined },
): Promise<EntrantColumns> {
  const range =
    slice === undefined
      ? db.sql`ORDER BY user_id`
      : 'after' in slice
        ? db.sql`AND user_id > ${db.param(slice.after)}::bigint ORDER BY user_id LIMIT ${db.param(slice.limit)}`
        : db.sql`AND user_id >= ${db.param(slice.from)}::bigint
            ${slice.to === undefined ? db.sql`` : db.sql`AND user_id < ${db.param(slice.to)}::bigint`}
            ORDER BY user_id`;
  const query = db.sql`
    SELECT array_agg(user_id)::text AS ids, array_agg(weight)::text AS weights FROM (
      SELECT user_id, weight FROM draw_entrants WHERE giveaway_id = ${db.param(giveawayId)} ${range}
    ) frozen`.compile();
  const result = await client.query<[string | null, string | null]>({ ...query, rowMode: 'array' });
  const [ids, weights] = result.rows[0] ?? [null, null];
  return parseEntrantArrays(ids ?? '{}', weights ?? '{}');
}

function concatColumns(parts: EntrantColumns[]): EntrantColumns {
  if (parts.length === 1 && parts[0]) return parts[0];
  const n = parts.reduce((sum, p) => sum + p.weights.length, 0);
  const column = (pick: (p: EntrantColumns) => Uint32Array) => {
    const out = new Uint32Array(new SharedArrayBuffer(n * 4));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += p.weights.length;
    }
    return out;
  };
  return { idHi: column((p) => p.idHi), idLo: column((p) => p.idLo), weights: column((p) => p.weights) };
}

/** Every frozen entrant in canonical order, as the protocol's freezeEntrants takes them. */
export async function selectFrozenEntrants(
  client: db.Queryable,
  giveawayId: string,
): Promise<Array<{ user_id: number; weight: number }>> {
  // Array rows and no per-row objects from pg: this runs over 100k+ rows at close.
  const query = db.sql`
    SELECT user_id::text, weight FROM draw_entrants WHERE giveaway_id = ${db.param(giveawayId)}
    ORDER BY user_id`.compile();
  const result = await client.query<[string, number]>({ ...query, rowMode: 'array' });
  const out = new Array<{ user_id: number; weight: number }>(result.rows.length);
  for (let i = 0; i < result.rows.length; i++) {
    const row = result.rows[i] as [string, number];
    out[i] = { user_id: Number(row[0]), weight: row[1] };
  }
  return out;
}
