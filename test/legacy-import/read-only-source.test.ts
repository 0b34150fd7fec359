// The importer never writes to the legacy Redis: every command it sends is a read (seen with MONITOR), the
// keyspace is byte-for-byte the same afterwards, and a user whose ACL allows reads only can run it.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONNECTION_COMMANDS, READ_COMMANDS } from '../../server/legacy-import/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { importFrom, startLegacyRedis, type LegacyRedis } from './harness.ts';
import { writeLegacyFixture } from './legacy-fixture.ts';

let db: TestDatabase;
let second: TestDatabase;
let redis: LegacyRedis;

beforeAll(async () => {
  [db, second, redis] = await Promise.all([createTestDatabase(), createTestDatabase(), startLegacyRedis()]);
  await writeLegacyFixture(redis.client);
});
afterAll(async () => {
  await Promise.all([db?.drop(), second?.drop(), redis?.stop()]);
});

/** Every key's type, serialised value and whether it expires. */
async function keyspace(client: Redis): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const [type, dump, ttl] = await Promise.all([
        client.type(key),
        client.dumpBuffer(key),
        client.pttl(key),
      ]);
      out.set(key, `${type}:${dump?.toString('base64')}:${ttl > 0 ? 'expires' : ttl}`);
    }
  } while (cursor !== '0');
  return out;
}

it('sends nothing but reads, and leaves the keyspace as it was', async () => {
  // Database 0 and no password: not even AUTH or SELECT is expected, but they would be allowed.
  const before = await keyspace(redis.client);
  const monitorClient = new Redis(redis.url);
  const monitor = await monitorClient.monitor();
  const seen: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.map(String)));
  const report = await importFrom(redis.url, db.pool);
  // MONITOR lines trail the replies: a command sent after the import shows up after all of the import's.
  const fence = `read-only-source-fence-${Date.now()}`;
  await redis.client.echo(fence);
  await expect.poll(() => seen.some((args) => args[1] === fence), { timeout: 15_000 }).toBe(true);
  monitor.disconnect();
  monitorClient.disconnect();

  expect(report.imported.giveaways).toBeGreaterThan(10);
  const commands = new Set(
    seen.filter((args) => args[1] !== fence).map((args) => String(args[0]).toLowerCase()),
  );
  // No TYPE: SCAN … TYPE brings every key's type, and the fixture holds no key of a type the importer never
  // reads (key-inventory.test.ts covers those).
  expect([...commands].sort()).toEqual(expect.arrayContaining(['get', 'scan', 'scard', 'smembers']));
  const allowed: readonly string[] = [...READ_COMMANDS, ...CONNECTION_COMMANDS];
  for (const command of commands) expect(allowed).toContain(command);
  expect(await keyspace(redis.client)).toEqual(before);
});

it('runs with a Redis user that may only read', async () => {
  await redis.client.call('ACL', 'SETUSER', 'importer', 'on', '>read-only-pw', '~*', '&*', '-@all', '+@read');
  const url = redis.url.replace('redis://', 'redis://importer:read-only-pw@');
  const report = await importFrom(url, second.pool);
  expect(report.skipped.by_reason).not.toHaveProperty('read_error');
  const reference = await importFrom(redis.url, db.pool, { dryRun: true });
  expect(report.skipped.by_reason).toEqual(reference.skipped.by_reason);
  expect(report.imported.participants).toBeGreaterThan(0);
  const readOnly = new Redis(url, { enableReadyCheck: false });
  await expect(readOnly.set('probe', 'x')).rejects.toThrow(/NOPERM/);
  readOnly.disconnect();
});
