// Closing freezes the entrants in one read and one insert, and builds the Merkle tree from the very columns it
// inserts, while the insert runs: the published root is the root of the stored list, and neither the root's
// publication nor the draw reads the list back. A close that rolls back leaves neither rows nor a cached tree.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectEntrantColumns } from '../../../server/draws/entrants/index.ts';
import { canonicalEntrantList, freezeEntrants } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  giveawayRow,
  makeService,
  userIds,
} from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDrawsDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** The pool, with the text of every statement run on it directly (not those inside transactions). */
function tracedPool(pool: pg.Pool): { pool: pg.Pool; statements: string[] } {
  const statements: string[] = [];
  const traced = new Proxy(pool, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
      return (config: string | { text: string }, ...rest: unknown[]) => {
        statements.push(typeof config === 'string' ? config : config.text);
        return (target.query as (...args: unknown[]) => unknown).call(target, config, ...rest);
      };
    },
  });
  return { pool: traced, statements };
}

async function storedRoot(pool: pg.Pool, id: string): Promise<string | null> {
  const res = await pool.query<{ entrants_root: string | null }>(
    `SELECT entrants_root FROM draw_commitments WHERE giveaway_id = $1`,
    [id],
  );
  return res.rows[0]?.entrants_root ?? null;
}

describe('freezing at close', () => {
  it('stores the list it hashes (weight 1 + tickets, user_id order) and draws without reading it back', async () => {
    const { pool, statements } = tracedPool(db.pool);
    const service = makeService(pool, new TestEvaluator(), new TableJobs());
    // Out of order on purpose: the freeze puts them in canonical order.
    const people = userIds(50).reverse();
    const id = await createGiveaway(db.pool, {
      winners: 3,
      reserves: 2,
      participants: people,
      tickets: { [people[3] as number]: 4, [people[10] as number]: 1 },
    });

    expect(await service.execution.closeAndDraw(id)).toBe('completed');

    const stored = await selectEntrantColumns(db.pool, id);
    const list = canonicalEntrantList(freezeEntrants(toEntrants(stored)));
    expect(list.map((e) => e.user_id)).toEqual([...people].sort((a, b) => a - b));
    expect(list.find((e) => e.user_id === people[3])?.weight).toBe(5);
    expect(list.find((e) => e.user_id === people[10])?.weight).toBe(2);
    expect(list.filter((e) => e.weight === 1)).toHaveLength(48);
    expect(await storedRoot(db.pool, id)).toBe(freezeEntrants(list).root.toString('hex'));
    expect(statements.filter((s) => /FROM draw_entrant_chunks/.test(s))).toEqual([]);
  });

  it('leaves no frozen rows and no cached tree when the close rolls back', async () => {
    const jobs = new TableJobs();
    const service = makeService(db.pool, new TestEvaluator(), jobs);
    const people = userIds(12);
    // A custom requirement makes the close enqueue a job in its transaction, which is made to fail here.
    const id = await createGiveaway(db.pool, { winners: 2, participants: people, requirements: ['custom'] });
    jobs.failOn = 'notify-creator';
    await expect(service.closing.closeGiveaway(id)).rejects.toThrow(/notify-creator/);
    const rows = await db.pool.query(`SELECT 1 FROM draw_entrant_chunks WHERE giveaway_id = $1`, [id]);
    expect(rows.rowCount).toBe(0);
    expect((await giveawayRow(db.pool, id))?.closed_at).toBeNull();

    // One participant leaves before the retry: the tree must be of the list the retry freezes.
    await db.pool.query(`DELETE FROM participants WHERE giveaway_id = $1 AND user_id = $2`, [id, people[0]]);
    jobs.failOn = null;
    expect(await service.closing.closeGiveaway(id)).toBe('pending');
    const stored = await selectEntrantColumns(db.pool, id);
    expect(stored.weights).toHaveLength(11);
    expect(await storedRoot(db.pool, id)).toBe(freezeEntrants(toEntrants(stored)).root.toString('hex'));
  });
});

function toEntrants(columns: { idHi: Uint32Array; idLo: Uint32Array; weights: Uint32Array }) {
  return Array.from(columns.weights, (weight, i) => ({
    user_id: (columns.idHi[i] as number) * 2 ** 32 + (columns.idLo[i] as number),
    weight,
  }));
}
