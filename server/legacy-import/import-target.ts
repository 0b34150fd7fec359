// Where the importer's writes go. A real run commits each unit of work on its own (so a killed run keeps
// what it finished and a rerun skips it); a dry run does every write inside one transaction that is rolled
// back at the end, so its report counts exactly what a real run would import, and nothing stays behind.
import type pg from 'pg';

export interface ImportTarget {
  /** How many writes may run at once (1 in a dry run: one connection, one transaction). */
  readonly parallel: number;
  /** A transaction (a savepoint in a dry run): all of fn or none of it. */
  tx<T>(fn: (client: pg.ClientBase) => Promise<T>): Promise<T>;
  /** Reads and single-statement writes. */
  run<T>(fn: (client: pg.ClientBase | pg.Pool) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function liveTarget(pool: pg.Pool, parallel: number): ImportTarget {
  return {
    parallel,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    run: (fn) => fn(pool),
    close: () => Promise.resolve(),
  };
}

export async function dryRunTarget(pool: pg.Pool): Promise<ImportTarget> {
  const client = await pool.connect();
  await client.query('BEGIN');
  let queue: Promise<unknown> = Promise.resolve();
  // One connection: callers are serialised, and each unit gets a savepoint so a failing one (reported and
  // skipped, as in a real run) does not abort the enclosing transaction.
  const inSavepoint = <T>(fn: (c: pg.ClientBase) => Promise<T>): Promise<T> => {
    const next = queue.then(async () => {
      await client.query('SAVEPOINT unit');
      try {
        const result = await fn(client);
        await client.query('RELEASE SAVEPOINT unit');
        return result;
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT unit');
        await client.query('RELEASE SAVEPOINT unit');
        throw err;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    parallel: 1,
    tx: inSavepoint,
    run: inSavepoint,
    async close() {
      await queue;
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    },
  };
}
