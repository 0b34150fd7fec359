// SQL of frozen entrants. A frozen list is stored as consecutive slices of the canonical list (draw_entrant_chunks,
// migration 0010): ENTRANT_CHUNK entrants a row, ids and weights as two parallel arrays, each row knowing its first
// and last id. Readers take the list whole, in order, as arrays (no row per entrant anywhere), a keyset page of it
// (binary search inside the chunk that holds the cursor), or test a few ids for membership the same way.
import * as db from 'zapatos/db';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { EntrantColumns } from '../protocol/index.ts';
import {
  chunkCopyPieces,
  entrantImagesWithTickets,
  parseCopyBinaryRow,
  type EntrantImages,
} from './pg-binary-arrays.ts';
import { parseEntrantArrays, sliceArrayText } from './pg-int-arrays.ts';

/**
 * Entrants per stored row. 1M entrants are 16 rows of ~0.5 MB ids + 0.25 MB weights, stored out of line and
 * uncompressed; a page read or an id lookup opens one such row.
 */
export const ENTRANT_CHUNK = 65_536;

const emptyColumns = (): EntrantColumns => ({
  idHi: new Uint32Array(0),
  idLo: new Uint32Array(0),
  weights: new Uint32Array(0),
});

/**
 * Stores a frozen list given as the text of its two aggregated arrays (bigint[] ids in canonical order, integer[]
 * weights), cut into chunks as text: nothing is decoded here. One statement; returns how many entrants.
 */
export async function insertEntrantChunks(
  client: db.Queryable,
  giveawayId: string,
  ids: string,
  weights: string,
  chunkSize = ENTRANT_CHUNK,
): Promise<number> {
  const idChunks = sliceArrayText(ids, chunkSize);
  const weightChunks = sliceArrayText(weights, chunkSize);
  if (idChunks.length !== weightChunks.length) throw new Error('ids and weights differ in length');
  if (idChunks.length === 0) return 0;
  const rows = idChunks.map(
    (chunkIds, i) =>
      db.sql`(${db.param(i)}::int, ${db.param(chunkIds)}::bigint[], ${db.param(weightChunks[i])}::int[])`,
  );
  const [counted] = await db.sql<db.SQL, Array<{ n: number }>>`
    WITH written AS (
      INSERT INTO draw_entrant_chunks (giveaway_id, chunk, first_user_id, last_user_id, user_ids, weights)
      SELECT ${db.param(giveawayId)}, c.chunk, c.ids[1], c.ids[cardinality(c.ids)], c.ids, c.weights
      FROM (VALUES ${db.mapWithSeparator(rows, db.sql`, `, (r) => r)}) AS c(chunk, ids, weights)
      RETURNING cardinality(weights) AS n
    )
    SELECT COALESCE(sum(n), 0)::int AS n FROM written`.run(client);
  return counted?.n ?? 0;
}

/**
 * Stores a frozen list given as the array images of its ranges in canonical order, cut into chunks of
 * `chunkSize`, through COPY's binary input: the ranges' element bytes go to the socket as they are
 * (pg's bind would first copy 20 MB of parameters for 1M entrants into one growing buffer), and PostgreSQL
 * reads the rows without parsing an INSERT. Resolves with how many entrants once the server took them all.
 */
export async function copyEntrantImages(
  client: pg.ClientBase,
  giveawayId: string,
  ranges: readonly EntrantImages[],
  chunkSize = ENTRANT_CHUNK,
): Promise<number> {
  const { pieces, chunks } = chunkCopyPieces(giveawayId, ranges, chunkSize);
  if (chunks === 0) return 0;
  const stream = client.query(
    copyFrom(`COPY draw_entrant_chunks (giveaway_id, chunk, first_user_id, last_user_id, user_ids, weights)
      FROM STDIN (FORMAT binary)`),
  );
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    for (const piece of pieces) stream.write(piece);
    stream.end();
  });
  if (stream.rowCount !== chunks) throw new Error(`COPY wrote ${stream.rowCount} chunks of ${chunks}`);
  return ranges.reduce((sum, r) => sum + r.count, 0);
}

/** A range of user ids, from inclusive to exclusive; null leaves that side open. */
export interface IdRange {
  from: bigint | null;
  to: bigint | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SNAPSHOT = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;

/**
 * The entrants of one id range as closing freezes them (weight = 1 + granted tickets, ascending ids), read as
 * array images through COPY's binary format: node-pg would decode a binary result column as UTF-8 text. COPY
 * takes no bind parameters, so the values are checked and written as literals.
 */
export async function copyEntrantRange(
  client: pg.ClientBase,
  giveawayId: string,
  range: IdRange,
): Promise<EntrantImages> {
  if (!UUID.test(giveawayId)) throw new Error(`not a giveaway id: ${giveawayId}`);
  const bound = (column: string) =>
    (range.from === null ? '' : ` AND ${column} >= ${BigInt(range.from).toString()}`) +
    (range.to === null ? '' : ` AND ${column} < ${BigInt(range.to).toString()}`);
  // One statement, so one snapshot: the range's ids alone (an index-only walk of the participants key) and its
  // ticket rows (sparse), merged into weights by the caller's process. The same read as a LEFT JOIN of tickets
  // to participants cost PostgreSQL ~30 % more per range (bench/README.md, History 2026-12-07).
  const stream = client.query(
    copyTo(`COPY (
      SELECT p.ids, t.ids, t.weights FROM
        (SELECT array_agg(user_id) AS ids FROM (
          SELECT user_id FROM participants
          WHERE giveaway_id = '${giveawayId}'${bound('user_id')} ORDER BY user_id
        ) entrants) p,
        (SELECT array_agg(user_id) AS ids, array_agg(weight) AS weights FROM (
          SELECT user_id, LEAST(1 + count::bigint, 2147483647)::int AS weight FROM tickets
          WHERE giveaway_id = '${giveawayId}'${bound('user_id')} ORDER BY user_id
        ) granted) t
    ) TO STDOUT (FORMAT binary)`),
  );
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  const [ids, ticketIds, ticketWeights] = parseCopyBinaryRow(Buffer.concat(parts));
  return entrantImagesWithTickets(ids ?? null, ticketIds ?? null, ticketWeights ?? null);
}

/** Starts a read-only transaction that sees exactly what the exporting one saw (pg_export_snapshot). */
export async function beginSnapshotRead(client: pg.ClientBase, snapshot: string): Promise<void> {
  if (!SNAPSHOT.test(snapshot)) throw new Error(`not a snapshot id: ${snapshot}`);
  await client.query(
    `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${snapshot}'`,
  );
}

export async function endSnapshotRead(client: pg.ClientBase): Promise<void> {
  await client.query('COMMIT');
}

/**
 * Every frozen entrant as columns in canonical order, for freezing at draw time. The chunks are split into
 * `parts` runs read at once on separate connections (PostgreSQL writes each run's array text on its own core),
 * decoded straight into shared memory for the Merkle worker threads.
 */
export async function readEntrantColumns(
  pool: db.Queryable,
  giveawayId: string,
  parts = 4,
): Promise<EntrantColumns> {
  const [count] = await db.sql<db.SQL, Array<{ chunks: number }>>`
    SELECT count(*)::int AS chunks FROM draw_entrant_chunks
    WHERE giveaway_id = ${db.param(giveawayId)}`.run(pool);
  const chunks = count?.chunks ?? 0;
  if (chunks === 0) return emptyColumns();
  const runs = Math.max(1, Math.min(parts, chunks));
  const cuts = Array.from({ length: runs + 1 }, (_, i) => Math.floor((chunks * i) / runs));
  const slices = await Promise.all(
    cuts.slice(0, -1).map((from, i) => selectChunkColumns(pool, giveawayId, from, cuts[i + 1] as number)),
  );
  return concatColumns(slices.flat());
}

/** Chunks [from, to) by position, each decoded on its own (a run's rows come in chunk order). */
async function selectChunkColumns(
  client: db.Queryable,
  giveawayId: string,
  from: number,
  to: number,
): Promise<EntrantColumns[]> {
  // Positions, not chunk numbers: OFFSET keeps this right even if a list's chunk numbers had gaps.
  const query = db.sql`
    SELECT user_ids::text, weights::text FROM draw_entrant_chunks
    WHERE giveaway_id = ${db.param(giveawayId)}
    ORDER BY chunk OFFSET ${db.param(from)} LIMIT ${db.param(to - from)}`.compile();
  const result = await client.query<[string, string]>({ ...query, rowMode: 'array' });
  return result.rows.map(([ids, weights]) => parseEntrantArrays(ids, weights));
}

/**
 * Frozen entrants as columns: a keyset page (user_id > after, at most limit: the NDJSON stream and the JSON
 * pages), or the whole list. A page starts in the first chunk whose last id is past the cursor, at the position
 * PostgreSQL's `width_bucket` finds by binary search in its id array, and runs on into the next chunks if needed.
 */
export async function selectEntrantColumns(
  client: db.Queryable,
  giveawayId: string,
  slice?: { after: string; limit: number },
): Promise<EntrantColumns> {
  if (slice === undefined) {
    const query = db.sql`
      SELECT user_ids::text, weights::text FROM draw_entrant_chunks
      WHERE giveaway_id = ${db.param(giveawayId)} ORDER BY chunk`.compile();
    const result = await client.query<[string, string]>({ ...query, rowMode: 'array' });
    return concatColumns(result.rows.map(([ids, weights]) => parseEntrantArrays(ids, weights)));
  }
  const pieces: EntrantColumns[] = [];
  let after = slice.after;
  let left = slice.limit;
  while (left > 0) {
    // width_bucket(x, sorted thresholds) = how many elements are <= x: the page starts one past it.
    const query = db.sql`
      SELECT c.user_ids[p.at + 1 : p.at + ${db.param(left)}::int]::text,
        c.weights[p.at + 1 : p.at + ${db.param(left)}::int]::text
      FROM draw_entrant_chunks c
      CROSS JOIN LATERAL (SELECT width_bucket(${db.param(after)}::bigint, c.user_ids) AS at) p
      WHERE c.giveaway_id = ${db.param(giveawayId)} AND c.last_user_id > ${db.param(after)}::bigint
      ORDER BY c.chunk LIMIT 1`.compile();
    const result = await client.query<[string, string]>({ ...query, rowMode: 'array' });
    const row = result.rows[0];
    if (!row) break;
    const piece = parseEntrantArrays(row[0], row[1]);
    const n = piece.weights.length;
    if (n === 0) break; // Cannot happen (the chunk's last id is past the cursor); never loop on it.
    pieces.push(piece);
    left -= n;
    after = ((BigInt(piece.idHi[n - 1] as number) << 32n) | BigInt(piece.idLo[n - 1] as number)).toString();
  }
  return concatColumns(pieces);
}

/** Which of these ids are in the frozen list: each id's chunk by its first/last id, then a binary search in it. */
export async function selectFrozenMembers(
  client: db.Queryable,
  giveawayId: string,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  // array_cat(a, '{}') returns `a` itself, read out of TOAST: materialized once per chunk here, so the binary
  // searches below do not fetch the chunk again for every id. The chunks drive the join (LATERAL), so each is
  // visited once, with the ids that fall in its range.
  const rows = await db.sql<db.SQL, Array<{ id: string }>>`
    WITH wanted AS MATERIALIZED (SELECT DISTINCT unnest(${db.param(ids)}::bigint[]) AS id),
    chunks AS MATERIALIZED (
      SELECT c.first_user_id, c.last_user_id, array_cat(c.user_ids, '{}'::bigint[]) AS ids
      FROM draw_entrant_chunks c
      WHERE c.giveaway_id = ${db.param(giveawayId)}
        AND EXISTS (SELECT 1 FROM wanted w WHERE w.id BETWEEN c.first_user_id AND c.last_user_id)
    )
    SELECT w.id FROM chunks c
    CROSS JOIN LATERAL (SELECT id FROM wanted WHERE id BETWEEN c.first_user_id AND c.last_user_id) w
    WHERE c.ids[width_bucket(w.id, c.ids)] = w.id`.run(client);
  return new Set(rows.map((r) => Number(r.id)));
}

function concatColumns(parts: EntrantColumns[]): EntrantColumns {
  if (parts.length === 0) return emptyColumns();
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
  const { idHi, idLo, weights } = await selectEntrantColumns(client, giveawayId);
  const out = new Array<{ user_id: number; weight: number }>(weights.length);
  for (let i = 0; i < weights.length; i++) {
    out[i] = {
      user_id: (idHi[i] as number) * 0x1_0000_0000 + (idLo[i] as number),
      weight: weights[i] as number,
    };
  }
  return out;
}

/**
 * Freezes the entrants in SQL alone (the legacy import; closing reads the list and stores the same text with
 * insertEntrantChunks): weight = 1 + granted tickets, numbered in user_id order and cut into chunks. Returns
 * how many entrants were frozen.
 */
export async function freezeEntrantRows(client: db.Queryable, giveawayId: string): Promise<number> {
  const [counted] = await db.sql<db.SQL, Array<{ n: number }>>`
    WITH written AS (
      INSERT INTO draw_entrant_chunks (giveaway_id, chunk, first_user_id, last_user_id, user_ids, weights)
      SELECT ${db.param(giveawayId)}, chunk, min(user_id), max(user_id),
        array_agg(user_id ORDER BY user_id), array_agg(weight ORDER BY user_id)
      FROM (
        SELECT p.user_id, LEAST(1 + COALESCE(t.count, 0)::bigint, 2147483647)::int AS weight,
          (row_number() OVER (ORDER BY p.user_id) - 1) / ${db.param(ENTRANT_CHUNK)}::int AS chunk
        FROM participants p
        LEFT JOIN tickets t ON t.giveaway_id = p.giveaway_id AND t.user_id = p.user_id
        WHERE p.giveaway_id = ${db.param(giveawayId)}
      ) e
      GROUP BY chunk
      RETURNING cardinality(weights) AS n
    )
    SELECT COALESCE(sum(n), 0)::int AS n FROM written`.run(client);
  return counted?.n ?? 0;
}
