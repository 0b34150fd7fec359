// The durable job queue against real PostgreSQL: transactional enqueue, retries, dead letters,
// idempotent enqueue and exactly-one delivery per attempt across two nodes.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type Job, type JobQueueOptions } from '../../../server/platform/jobs/index.ts';
import { createLogger } from '../../../server/platform/logger.ts';
import { createTestDatabase, inTransaction, type TestDatabase } from '../../support/database.ts';

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

    await expect.poll(() => seen.length, { timeout: 15_000 }).toBe(1);
    expect(seen[0]).toMatchObject({
      id,
      name: 'notify-winner',
      data: { giveaway_id: 'g1', user_id: 42 },
      retryCount: 0,
    });
    await expect
      .poll(async () => (await node.countByState('notify-winner')).completed, { timeout: 15_000 })
      .toBe(1);
  });

  it('leaves no job behind when the transaction rolls back', async () => {
    const node = await startNode(freshSchema());
    await inTransaction(tdb.pool, (tx) => node.enqueue(tx, 'notify-winner', { user_id: 1 }), {
      commit: false,
    });

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

    await expect
      .poll(async () => (await node.countByState('notify-creator')).completed, { timeout: 15_000 })
      .toBe(1);
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

    await expect
      .poll(async () => (await node.countByState('post-results')).failed, { timeout: 15_000 })
      .toBe(1);
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
      const c2Pid = (await c2.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const a = await node.enqueue(c1, 'notify-winner', { k: 'g:3' }, { singletonKey: 'g:3' });
      const pending = node.enqueue(c2, 'notify-winner', { k: 'g:3' }, { singletonKey: 'g:3' });
      await expect
        .poll(
          async () =>
            (
              await tdb.pool.query<{ wait: string | null }>(
                'SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
                [c2Pid],
              )
            ).rows[0]?.wait,
          { timeout: 15_000, message: "the second enqueue to block on the first's row" },
        )
        .toBe('Lock');
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

  it('enqueues many jobs in one call, once per singletonKey, archived keys included', async () => {
    const schema = freshSchema();
    const node = await startNode(schema);
    const many = (keys: string[]) =>
      inTransaction(tdb.pool, (tx) =>
        node.enqueueMany(
          tx,
          'notify-winner',
          keys.map((key) => ({ data: { k: key }, singletonKey: key })),
        ),
      );
    const first = await inTransaction(tdb.pool, (tx) =>
      node.enqueue(tx, 'notify-winner', { k: 'm:1' }, { singletonKey: 'm:1' }),
    );
    await tdb.pool.query(
      `WITH moved AS (DELETE FROM ${schema}.job WHERE id = $1 RETURNING *)
       INSERT INTO ${schema}.archive SELECT moved.*, now() FROM moved`,
      [first],
    );

    await many(['m:1', 'm:2', 'm:3']);
    await many(['m:2', 'm:3', 'm:4']);
    await inTransaction(tdb.pool, (tx) => node.enqueueMany(tx, 'notify-winner', [{ data: { k: 'x' } }]), {
      commit: false,
    });

    const { rows } = await tdb.pool.query<{ k: string }>(
      `SELECT data->>'k' AS k FROM ${schema}.job WHERE name = 'notify-winner' ORDER BY 1`,
    );
    expect(rows.map((r) => r.k)).toEqual(['m:2', 'm:3', 'm:4']);
    await expect(
      inTransaction(tdb.pool, (tx) =>
        node.enqueueMany(tx, 'no-such-queue' as 'notify-winner', [{ data: {} }]),
      ),
    ).rejects.toThrow(/Unknown job queue/);
  });

  it('never delivers one job twice when two nodes work the same queue', async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([startNode(schema), startNode(schema)]);
    const deliveries: Array<{ node: string; id: string }> = [];
    // Handlers hold their jobs until both nodes have one, so neither can drain the queue alone.
    let bothWorking!: () => void;
    const gate = new Promise<void>((resolve) => (bothWorking = resolve));
    const handler = (node: string) => async (job: Job) => {
      deliveries.push({ node, id: job.id });
      if (new Set(deliveries.map((d) => d.node)).size === 2) bothWorking();
      await gate;
    };
    a?.work('post-results', handler('a'), { batchSize: 5, ...fast });
    b?.work('post-results', handler('b'), { batchSize: 5, ...fast });

    const total = 40;
    await inTransaction(tdb.pool, async (tx) => {
      for (let i = 0; i < total; i++) await a?.enqueue(tx, 'post-results', { i });
    });

    await expect
      .poll(async () => (await a?.countByState('post-results'))?.completed, { timeout: 20_000 })
      .toBe(total);
    // Not synchronisation: a duplicate would show up within one more polling round (0.5 s) of either node.
    await sleep(700);
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
