// Frozen lists stored as chunks of the canonical list (migration 0010): pages, id lookups and whole reads give the
// same answers at every chunk boundary as a row per entrant did; a list longer than one chunk is cut the same way
// by the close (the images it read, whole or in id ranges) and by the import (SQL alone); deleting the giveaway
// deletes its chunks.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeEntrantColumns } from '../../../server/draws/close/close.queries.ts';
import { EntrantRangeReaders } from '../../../server/draws/entrants/entrant-ranges.ts';
import {
  ENTRANT_CHUNK,
  freezeEntrantRows,
  insertEntrantChunks,
  readEntrantColumns,
  selectEntrantColumns,
  selectFrozenMembers,
} from '../../../server/draws/entrants/entrants.queries.ts';
import { resolveEntrants } from '../../../server/draws/manual-winners/manual-winners.queries.ts';
import { entrantsNdjson } from '../../../server/draws/proofs/entrants-ndjson.ts';
import { selectEntrantsPage } from '../../../server/draws/proofs/proofs.queries.ts';
import type { EntrantColumns } from '../../../server/draws/protocol/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createGiveaway, ensureUsers } from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const idsOf = (c: EntrantColumns) =>
  Array.from(c.weights, (_, i) => (c.idHi[i] as number) * 2 ** 32 + (c.idLo[i] as number));

/** The stored chunks of a list, one digest row each (through `client` to see a transaction's own writes). */
async function chunkRows(giveawayId: string, client: pg.Pool | pg.PoolClient = db.pool) {
  const { rows } = await client.query<{
    chunk: number;
    first: string;
    last: string;
    n: number;
    digest: string;
  }>(
    `SELECT chunk, first_user_id AS first, last_user_id AS last, cardinality(user_ids) AS n,
       md5(user_ids::text || '/' || weights::text) AS digest
     FROM draw_entrant_chunks WHERE giveaway_id = $1 ORDER BY chunk`,
    [giveawayId],
  );
  return rows;
}

describe('a list in chunks of four', () => {
  const id = '00000000-0000-4000-8000-0000000000c4';
  const ids = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  const weights = ids.map((_, i) => i + 1);

  beforeAll(async () => {
    const n = await insertEntrantChunks(db.pool, id, `{${ids.join(',')}}`, `{${weights.join(',')}}`, 4);
    expect(n).toBe(10);
  });

  it('is stored as consecutive slices that know their first and last ids', async () => {
    expect((await chunkRows(id)).map((r) => [r.chunk, Number(r.first), Number(r.last), r.n])).toEqual([
      [0, 10, 40, 4],
      [1, 50, 80, 4],
      [2, 90, 100, 2],
    ]);
  });

  it('reads whole, in any number of runs, in canonical order', async () => {
    for (const parts of [1, 2, 3, 4, 7]) {
      const c = await readEntrantColumns(db.pool, id, parts);
      expect(idsOf(c), `parts=${parts}`).toEqual(ids);
      expect(Array.from(c.weights)).toEqual(weights);
    }
    expect(idsOf(await selectEntrantColumns(db.pool, id))).toEqual(ids);
  });

  it('pages from any cursor, across chunk boundaries, as a row per entrant would', async () => {
    for (const after of [0, 9, 10, 35, 40, 41, 49, 50, 80, 89, 90, 99, 100, 1000]) {
      for (const limit of [1, 2, 3, 4, 5, 7, 10, 20]) {
        const expected = ids
          .map((u, i) => ({ user_id: u, weight: weights[i] }))
          .filter((e) => e.user_id > after);
        const page = await selectEntrantsPage(db.pool, id, after, limit);
        expect(page, `after=${after} limit=${limit}`).toEqual(expected.slice(0, limit));
      }
    }
  });

  it('streams NDJSON across the chunks', async () => {
    let text = '';
    for await (const part of entrantsNdjson(db.pool, id, '0', 3)) text += part;
    expect(text).toBe(ids.map((u, i) => `{"user_id":${u},"weight":${weights[i]}}\n`).join(''));
  });

  it('finds members at the first and last id of every chunk, and nobody in the gaps', async () => {
    const others = [1, 9, 11, 39, 41, 45, 49, 51, 81, 85, 89, 101, 2 ** 40];
    expect([...(await selectFrozenMembers(db.pool, id, [...ids, ...others]))].sort((a, b) => a - b)).toEqual(
      ids,
    );
    expect(await selectFrozenMembers(db.pool, id, others)).toEqual(new Set());
    expect(await selectFrozenMembers(db.pool, id, [])).toEqual(new Set());
    expect(await selectFrozenMembers(db.pool, id, [40, 40, 50])).toEqual(new Set([40, 50]));
    expect(await selectFrozenMembers(db.pool, '00000000-0000-4000-8000-0000000000c5', ids)).toEqual(
      new Set(),
    );
  });
});

describe('a list longer than one chunk', () => {
  // 150,000 entrants with gaps between ids: three chunks (65,536 + 65,536 + 18,928).
  const n = 150_000;
  const people = Array.from({ length: n }, (_, i) => 900_000_000 + 7 * i);
  let giveawayId: string;
  let read: EntrantColumns | undefined;

  beforeAll(async () => {
    giveawayId = await createGiveaway(db.pool, {
      winners: 1,
      participants: people,
      tickets: {
        [people[0] as number]: 2,
        [people[ENTRANT_CHUNK] as number]: 3,
        [people[n - 1] as number]: 9,
      },
    });
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      expect(await freezeEntrantColumns(client, giveawayId, (c) => (read = c))).toBe(n);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }, 60_000);

  it('is stored by the close in chunks of ENTRANT_CHUNK, the list it hashed', async () => {
    const rows = await chunkRows(giveawayId);
    expect(rows.map((r) => [r.chunk, r.n])).toEqual([
      [0, ENTRANT_CHUNK],
      [1, ENTRANT_CHUNK],
      [2, n - 2 * ENTRANT_CHUNK],
    ]);
    expect(rows.map((r) => Number(r.first))).toEqual([
      people[0],
      people[ENTRANT_CHUNK],
      people[2 * ENTRANT_CHUNK],
    ]);
    expect(rows.map((r) => Number(r.last))).toEqual([
      people[ENTRANT_CHUNK - 1],
      people[2 * ENTRANT_CHUNK - 1],
      people[n - 1],
    ]);
    const stored = await readEntrantColumns(db.pool, giveawayId);
    expect(idsOf(stored)).toEqual(people);
    expect(read && idsOf(read)).toEqual(people);
    expect(Array.from(stored.weights)).toEqual(Array.from(read?.weights ?? []));
    expect([
      stored.weights[0],
      stored.weights[ENTRANT_CHUNK],
      stored.weights[n - 1],
      stored.weights[1],
    ]).toEqual([3, 4, 10, 1]);
  });

  it('is cut the same way by the import, in SQL alone', async () => {
    const closed = await chunkRows(giveawayId);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM draw_entrant_chunks WHERE giveaway_id = $1', [giveawayId]);
      expect(await freezeEntrantRows(client, giveawayId)).toBe(n);
      expect(await chunkRows(giveawayId, client)).toEqual(closed);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('is cut the same way when read in id ranges at once, chunks spanning ranges', async () => {
    const closed = await chunkRows(giveawayId);
    const readers = new EntrantRangeReaders(db.pool, 3);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM draw_entrant_chunks WHERE giveaway_id = $1', [giveawayId]);
      let ranged: EntrantColumns | undefined;
      const frozen = await freezeEntrantColumns(client, giveawayId, (c) => (ranged = c), {
        readers,
        participants: n,
      });
      expect(frozen).toBe(n);
      expect(ranged && idsOf(ranged)).toEqual(people);
      expect(Array.from(ranged?.weights ?? [])).toEqual(Array.from(read?.weights ?? []));
      expect(await chunkRows(giveawayId, client)).toEqual(closed);
    } finally {
      await client.query('ROLLBACK');
      client.release();
      await readers.end();
    }
  });

  it('pages and looks up ids across chunk boundaries', async () => {
    for (const at of [ENTRANT_CHUNK - 3, 2 * ENTRANT_CHUNK - 1, 2 * ENTRANT_CHUNK]) {
      const page = await selectEntrantsPage(db.pool, giveawayId, people[at] as number, 5);
      expect(page.map((e) => e.user_id)).toEqual(people.slice(at + 1, at + 6));
    }
    const edges = [0, ENTRANT_CHUNK - 1, ENTRANT_CHUNK, 2 * ENTRANT_CHUNK - 1, 2 * ENTRANT_CHUNK, n - 1];
    const members = edges.map((i) => people[i] as number);
    const gaps = members.map((u) => u + 1);
    const found = await selectFrozenMembers(db.pool, giveawayId, [...members, ...gaps, 1, 2 ** 50]);
    expect([...found].sort((a, b) => a - b)).toEqual(members);
    const big = await selectEntrantColumns(db.pool, giveawayId, { after: '0', limit: ENTRANT_CHUNK + 10 });
    expect(idsOf(big)).toEqual(people.slice(0, ENTRANT_CHUNK + 10));
  });

  it('resolves a username to the entrant holding it when a newer account outside the list has it too', async () => {
    const outsider = 42_000_001;
    await ensureUsers(db.pool, [outsider]);
    await db.pool.query(
      `UPDATE users SET username = 'Shared', updated_at = now() - interval '1 day' WHERE id = $1`,
      [people[ENTRANT_CHUNK + 1]],
    );
    await db.pool.query(`UPDATE users SET username = 'shared', updated_at = now() WHERE id = $1`, [outsider]);
    const found = await resolveEntrants(
      db.pool,
      giveawayId,
      true,
      [people[5] as number, outsider, 3],
      ['shared', 'nobody'],
    );
    expect(found.ids).toEqual(new Set([people[5]]));
    expect(found.byUsername).toEqual(new Map([['shared', people[ENTRANT_CHUNK + 1]]]));
  });
});

describe('a frozen list', () => {
  // A giveaway of its own: tests run in any order (--sequence.shuffle), and the others read theirs.
  it('is deleted with its giveaway', async () => {
    const people = [11, 22, 33, 44, 55, 66, 77, 88, 99];
    const giveawayId = await createGiveaway(db.pool, { winners: 1, participants: people });
    const weights = people.map(() => 1);
    await insertEntrantChunks(db.pool, giveawayId, `{${people.join(',')}}`, `{${weights.join(',')}}`, 4);
    expect(await chunkRows(giveawayId)).toHaveLength(3);
    await db.pool.query('DELETE FROM giveaways WHERE id = $1', [giveawayId]);
    expect(await chunkRows(giveawayId)).toEqual([]);
  });
});
