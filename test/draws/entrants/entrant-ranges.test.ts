// Freezing a list in id ranges read at once in the close transaction's exported snapshot: the ranges together
// give every entrant exactly once and in order (empty ranges included), the stored chunks are those the SQL-only
// freeze writes, a join committed after the snapshot is not seen, and an empty list freezes as nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freezeEntrantColumns } from '../../../server/draws/close/close.queries.ts';
import {
  EntrantRangeReaders,
  columnsFromImages,
  copyEntrantRange,
  freezeEntrantRows,
} from '../../../server/draws/entrants/index.ts';
import type { EntrantColumns } from '../../../server/draws/protocol/index.ts';
import { createTestDatabase, inTransaction, type TestDatabase } from '../../support/database.ts';
import { createGiveaway, ensureUsers } from '../support.ts';

let db: TestDatabase;
let readers: EntrantRangeReaders;
beforeAll(async () => {
  db = await createTestDatabase();
  readers = new EntrantRangeReaders(db.pool, 3);
});
afterAll(async () => {
  await readers?.end();
  await db?.drop();
});

const idsOf = (c: EntrantColumns) =>
  Array.from(c.weights, (_, i) => (c.idHi[i] as number) * 2 ** 32 + (c.idLo[i] as number));

async function chunkDigests(giveawayId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ d: string }>(
    `SELECT chunk || ':' || first_user_id || ':' || last_user_id || ':' || md5(user_ids::text || '/' || weights::text)
       AS d FROM draw_entrant_chunks WHERE giveaway_id = $1 ORDER BY chunk`,
    [giveawayId],
  );
  return rows.map((r) => r.d);
}

/** Freezes through three ranges read at once (the participant count given forces the ranged read). */
const rangedFreeze = (client: pg.PoolClient, giveawayId: string, onRead: (c: EntrantColumns) => void) =>
  freezeEntrantColumns(client, giveawayId, onRead, { readers, participants: Number.MAX_SAFE_INTEGER });

describe('a list frozen in ranges', () => {
  // Clustered at both ends, so the middle range of three is empty; tickets on range borders.
  const people = [
    ...Array.from({ length: 700 }, (_, i) => 3_000_000_000 + 3 * i),
    ...Array.from({ length: 300 }, (_, i) => 9_000_000_000 + i),
  ];
  const tickets = { [people[0] as number]: 2, [people[699] as number]: 5, [people[999] as number]: 1 };
  let ranged: EntrantColumns | undefined;
  let giveawayId: string;

  beforeAll(async () => {
    giveawayId = await createGiveaway(db.pool, { winners: 1, participants: people, tickets });
    const n = await inTransaction(db.pool, (client) => rangedFreeze(client, giveawayId, (c) => (ranged = c)));
    expect(n).toBe(people.length);
  });

  it('reads every entrant exactly once, in order, with its weight', () => {
    expect(ranged && idsOf(ranged)).toEqual(people);
    const w = Array.from(ranged?.weights ?? []);
    expect([w[0], w[1], w[699], w[700], w[999]]).toEqual([3, 1, 6, 1, 2]);
  });

  it('stores the chunks the SQL-only freeze writes', async () => {
    const stored = await chunkDigests(giveawayId);
    expect(stored).toHaveLength(1);
    const again = await createGiveaway(db.pool, { winners: 1, participants: people, tickets });
    await inTransaction(db.pool, (client) => freezeEntrantRows(client, again));
    expect(await chunkDigests(again)).toEqual(stored);
  });
});

describe('end()', () => {
  it("closes the readers' own connections (the server stops them with its entrant-readers part)", async () => {
    const source = new pg.Pool({ connectionString: db.url, application_name: 'entrant-readers-end-test' });
    const own = new EntrantRangeReaders(source, 2);
    const sessions = async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'entrant-readers-end-test'`,
      );
      return rows[0]?.n;
    };
    try {
      const giveawayId = await createGiveaway(db.pool, {
        winners: 1,
        participants: [51_000_001, 51_000_002],
      });
      const snapshotted = await inTransaction(db.pool, async (client) => {
        const { rows } = await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s');
        return own.read(giveawayId, rows[0]?.s ?? '', [
          { from: null, to: 51_000_002n },
          { from: 51_000_002n, to: null },
        ]);
      });
      expect(snapshotted.map((r) => r.count)).toEqual([1, 1]);
      expect(await sessions()).toBe(2);
      await own.end();
      await expect.poll(sessions).toBe(0);
    } finally {
      await own.end();
      await source.end();
    }
  });
});

describe('the exported snapshot', () => {
  it('hides a join committed after it, which a fresh read sees', async () => {
    const people = [41_000_001, 41_000_002, 41_000_003];
    const late = 41_000_004;
    await ensureUsers(db.pool, [late]);
    const giveawayId = await createGiveaway(db.pool, { winners: 1, participants: people });
    await inTransaction(db.pool, async (client) => {
      const { rows } = await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s');
      await db.pool.query('INSERT INTO participants (giveaway_id, user_id) VALUES ($1, $2)', [
        giveawayId,
        late,
      ]);
      const split = [
        { from: null, to: 41_000_002n },
        { from: 41_000_002n, to: 41_000_004n },
        { from: 41_000_004n, to: null },
      ];
      const seen = await readers.read(giveawayId, rows[0]?.s ?? '', split);
      expect(seen.map((r) => r.count)).toEqual([1, 2, 0]);
      expect(idsOf(columnsFromImages(seen))).toEqual(people);
    });
    const now = await inTransaction(db.pool, (client) =>
      copyEntrantRange(client, giveawayId, { from: null, to: null }),
    );
    expect(idsOf(columnsFromImages([now]))).toEqual([...people, late]);
  });

  it('is refused when malformed, before anything is sent', async () => {
    await expect(readers.read('00000000-0000-4000-8000-0000000000d1', "x'; --", [])).resolves.toEqual([]);
    await expect(
      readers.read('00000000-0000-4000-8000-0000000000d1', "x'; --", [{ from: null, to: null }]),
    ).rejects.toThrow(/not a snapshot id/);
  });
});

describe('an empty list frozen in ranges', () => {
  it('freezes nothing and stores no chunk', async () => {
    const giveawayId = await createGiveaway(db.pool, { winners: 1 });
    let read: EntrantColumns | undefined;
    expect(
      await inTransaction(db.pool, (client) => rangedFreeze(client, giveawayId, (c) => (read = c))),
    ).toBe(0);
    expect(read?.weights).toHaveLength(0);
    expect(await chunkDigests(giveawayId)).toEqual([]);
  });
});
