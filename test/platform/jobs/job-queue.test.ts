// The durable job queue against real PostgreSQL: transactional enqueue, retries, dead letters,
// idempotent enqueue and exactly-one delivery per attempt across two nodes.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type Job, type JobQueueOptions } from '../../../server/platform/jobs/index.ts';
import { createLogger } from '../../../server/platform/logger.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let tdb: TestDatabase;
const nodes: JobQueue[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop(2_000)));
});
afterAll(async () => {
  await tdb.drop();
});

/** Each test gets its own pg-boss schema in the shared test database, so counts never leak across tests. */
const freshSchema = () => `pgboss_${randomBytes(4).toString('hex')}`;

async function startNode(schema: string, extra: Partial<JobQueueOptions> = {}): Promise<JobQueue> {
  const node = new JobQueue({
    connectionString: tdb.url,
    ssl: false,
    logger: createLogger('silent'),
    schema,
    poolMax: 2,
    retry: { limit: 2, delaySec: 0, backoff: false },
    ...extra,
  });
  nodes.push(node);
  await node.start();
  return node;
}

async function inTransaction<T>(
  pool: pg.Pool,
  fn: (tx: pg.PoolClient) => Promise<T>,
  commit = true,
): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const result = await fn(tx);
    await tx.query(commit ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (err) {
    await tx.query('ROLLBACK');
    throw err;
  } finally {
    tx.release();
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('Timed out waiting for a condition');
    await sleep(50);
  }
}

const fast = { pollingIntervalSeconds: 0.5 };

describe('JobQueue', () => {
  it('delivers a job enqueued in a committed transaction to a worker', async () => {
    const schema = freshSchema();
    const node = await startNode(schema);
    const seen: Job[] = [];
    node.work('notify-winner', (job) => Promise.resolve(void seen.push(job)), fast);

    const id = await inTransaction(tdb.pool, (tx) =>
      node.enqueue(tx, 'notify-winner', { giveaway_id: 'g1', user_id: 42 }),
    );

    await waitFor(() => seen.length === 1);
    expect(seen[0]).toMatchObject({
      id,
      name: 'notify-winner',
      data: { giveaway_id: 'g1', user_id: 42 },
      retryCount: 0,
    });
    await waitFor(async () => (await node.countByState('notify-winner')).completed === 1);
  });

  it('leaves no job behind when the transaction rolls back', async () => {
    const node = await startNode(freshSchema());
    await inTransaction(tdb.pool, (tx) => node.enqueue(tx, 'notify-winner', { user_id: 1 }), false);

    const counts = await node.countByState('notify-winner');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('retries a failing handler, which then succeeds', async () => {
    const node = await startNode(freshSchema());
    const attempts: number[] = [];
    node.work(
      'notify-creator',
      (job) => {
        attempts.push(job.retryCount);
        return job.retryCount === 0 ? Promise.reject(new Error('Telegram said 429')) : Promise.resolve();
      },
      fast,
    );

    await inTransaction(tdb.pool, (tx) => node.enqueue(tx, 'notify-creator', { giveaway_id: 'g2' }));

    await waitFor(async () => (await node.countByState('notify-creator')).completed === 1);
    expect(attempts).toEqual([0, 1]);
  });

  it('dead-letters a job whose every attempt fails', async () => {
    const node = await startNode(freshSchema(), { retry: { limit: 1, delaySec: 0, backoff: false } });
    let attempts = 0;
    node.work(
      'post-results',
      () => {
        attempts += 1;
        return Promise.reject(new Error('channel is gone'));
      },
      fast,
    );

    await inTransaction(tdb.pool, (tx) => node.enqueue(tx, 'post-results', { giveaway_id: 'g3' }));

    await waitFor(async () => (await node.countByState('post-results')).failed === 1);
    expect(attempts).toBe(2);
    expect((await node.countByState('post-results-dead')).created).toBe(1);
  });

  it('enqueues once per singletonKey, also across concurrent transactions and after archiving', async () => {
    const schema = freshSchema();
    const node = await startNode(schema);
    const enqueue = (key: string) =>
      inTransaction(tdb.pool, (tx) => node.enqueue(tx, 'notify-winner', { k: key }, { singletonKey: key }));

    const first = await enqueue('g:1');
    expect(await enqueue('g:1')).toBe(first);
    expect(await enqueue('g:2')).not.toBe(first);

    // Two transactions racing on one key: the second waits on the first's uncommitted row, then yields.
    const c1 = await tdb.pool.connect();
    const c2 = await tdb.pool.connect();
    try {
      await c1.query('BEGIN');
      await c2.query('BEGIN');
      const a = await node.enqueue(c1, 'notify-winner', { k: 'g:3' }, { singletonKey: 'g:3' });
      const pending = node.enqueue(c2, 'notify-winner', { k: 'g:3' }, { singletonKey: 'g:3' });
      await sleep(100);
      await c1.query('COMMIT');
      expect(await pending).toBe(a);
      await c2.query('COMMIT');
    } finally {
      c1.release();
      c2.release();
    }
    expect((await node.countByState('notify-winner')).created).toBe(3);

    // pg-boss's maintenance moves old jobs to the archive; a re-enqueue must still see them.
    await tdb.pool.query(
      `WITH moved AS (DELETE FROM ${schema}.job WHERE id = $1 RETURNING *)
       INSERT INTO ${schema}.archive SELECT moved.*, now() FROM moved`,
      [first],
    );
    expect(await enqueue('g:1')).toBe(first);
    const { rows } = await tdb.pool.query(`SELECT count(*)::int AS n FROM ${schema}.job WHERE id = $1`, [
      first,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('never delivers one job twice when two nodes work the same queue', async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([startNode(schema), startNode(schema)]);
    const deliveries: Array<{ node: string; id: string }> = [];
    const handler = (node: string) => async (job: Job) => {
      deliveries.push({ node, id: job.id });
      await sleep(100); // Long enough that one node cannot drain the queue before the other polls.
    };
    a?.work('post-results', handler('a'), { batchSize: 5, ...fast });
    b?.work('post-results', handler('b'), { batchSize: 5, ...fast });

    const total = 40;
    await inTransaction(tdb.pool, async (tx) => {
      for (let i = 0; i < total; i++) await a?.enqueue(tx, 'post-results', { i });
    });

    await waitFor(async () => (await a?.countByState('post-results'))?.completed === total);
    await sleep(700); // A duplicate would show up within one more polling round.
    expect(deliveries).toHaveLength(total);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(total);
    expect(deliveries.some((d) => d.node === 'a')).toBe(true);
    expect(deliveries.some((d) => d.node === 'b')).toBe(true);
  });

  it('refuses a queue outside the closed list', async () => {
    const node = await startNode(freshSchema());
    await expect(
      // @ts-expect-error: not a JobName
      inTransaction(tdb.pool, (tx) => node.enqueue(tx, 'send-spam', {})),
    ).rejects.toThrow(/Unknown job queue/);
  });
});
