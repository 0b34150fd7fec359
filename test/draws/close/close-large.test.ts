import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  makeService,
  servedEntrants,
} from '../support.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createDrawsDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const N = 100_000;

// Heavy (100k users on a shared 2-core machine): run with TEST_LARGE_DRAW=1 for the timing figures.
describe.skipIf(process.env.TEST_LARGE_DRAW !== '1')('a 100k-entrant giveaway', () => {
  it('closes (freeze in SQL), draws with requirement re-checks and verifies, in a few seconds', async () => {
    const evaluator = new TestEvaluator();
    const service = makeService(db.pool, evaluator, new TableJobs());
    const id = await createGiveaway(db.pool, {
      winners: 100,
      requirements: ['premium'],
      prizes: [{ title: 'Stars', quantity: 1000 }],
    });
    const base = 7_000_000_000;
    await db.pool.query(
      `INSERT INTO users (id) SELECT $1::bigint + g FROM generate_series(1, $2::int) g ON CONFLICT DO NOTHING`,
      [base, N],
    );
    await db.pool.query(
      `INSERT INTO participants (giveaway_id, user_id) SELECT $1, $2::bigint + g FROM generate_series(1, $3::int) g`,
      [id, base, N],
    );
    await db.pool.query(
      `INSERT INTO tickets (giveaway_id, user_id, count) SELECT $1, $2::bigint + g, g % 5
       FROM generate_series(1, $3::int, 7) g`,
      [id, base, N],
    );
    for (let i = 1; i <= N; i += 3) evaluator.failing.add(base + i);

    const t0 = performance.now();
    const closed = await service.closing.closeDue();
    const t1 = performance.now();
    const drawn = await service.execution.runDueDraws();
    const t2 = performance.now();
    expect(closed.closed).toBe(1);
    expect(drawn.completed).toBe(1);

    const bundle = await service.proofs.getProof(id);
    expect(bundle.entrants_count).toBe(N);
    const entrants = await servedEntrants(service, id);
    const t3 = performance.now();
    expect(verifyProofBundle(bundle, entrants).ok).toBe(true);
    const t4 = performance.now();
    console.info(
      `100k close: freeze ${(t1 - t0).toFixed(0)} ms, draw (plan + ${evaluator.calls.length} checks + write) ` +
        `${(t2 - t1).toFixed(0)} ms, fetch entrants (100 pages) ${(t3 - t2).toFixed(0)} ms, ` +
        `verify ${(t4 - t3).toFixed(0)} ms`,
    );
  }, 120_000);
});
