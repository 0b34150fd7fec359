// Regression: a pooled client held by a transaction had no 'error' listener (pg-pool removes its own while
// a client is checked out), so a socket reset during a PostgreSQL restart became an uncaught exception.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../server/platform/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let db: TestDatabase;
let proxy: TcpProxy;
beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startTcpProxy(Number(new URL(db.url).port || 5432));
});
afterAll(async () => {
  await proxy?.cut();
  await db?.drop();
});

describe('a checked-out pool client whose connection resets', () => {
  it('rejects its query and does not throw an uncaught exception', async () => {
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const pool = createPool(
      { connectionString: url.toString(), ssl: false },
      { max: 2, idleMax: 0, maxLifetimeMs: 0, applicationName: 't' },
    );
    const uncaught: unknown[] = [];
    // The reset has been handled once the client ends, or (the bug) once it threw instead.
    let resetHandled!: () => void;
    const handled = new Promise<void>((resolve) => (resetHandled = resolve));
    const onUncaught = (err: unknown) => {
      uncaught.push(err);
      resetHandled();
    };
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      // Only an 'end' listener: one on 'error' (events.once adds one) would hide the bug under test.
      client.once('end', () => resetHandled());
      await proxy.cut();
      await handled; // the reset arrives while no query is running
      await expect(client.query('SELECT 1')).rejects.toBeDefined();
      client.release(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await proxy.restore();
      await pool.end().catch(() => undefined);
    }
  });
});
