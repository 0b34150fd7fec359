// A real server process, its every log line captured: each way a credential reaches the server (init-data
// in the query, the header, Authorization tma/Bearer, an export link, database and Redis URLs with passwords,
// a Bot API failure quoting the token in its URL) leaves no trace of the secret, and the lines still say
// what happened (path, status, method).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { FakeTelegram } from '../../support/fake-telegram.ts';
import { startPrivateRedis, type PrivateRedis } from '../../support/redis.ts';
import { spawnServer } from '../../support/server-process.ts';
import { TEST_BOT_TOKEN, initDataFor } from '../../support/telegram-user.ts';

const PG_PASSWORD = 'pgUserinfoS3cret';
const PG_QUERY_PASSWORD = 'pgQueryS3cret';
const REDIS_PASSWORD = 'rdS3cretPass';
const EXPORT_TOKEN = '6f1c2b3a4d5e6f708192a3b4c5d6e7f8a9b0c1d2e3f40516';
const API_KEY = 'gwk_0a1b2c3d_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefg';
const BOT_SECRET = TEST_BOT_TOKEN.split(':')[1] ?? '';

let db: TestDatabase;
let redis: PrivateRedis;
let fake: FakeTelegram;
beforeAll(async () => {
  [db, redis, fake] = await Promise.all([
    createTestDatabase(),
    startPrivateRedis({ password: REDIS_PASSWORD }),
    FakeTelegram.start(),
  ]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), redis?.stop(), fake?.stop()]);
});

type Line = Record<string, any>;
const parse = (lines: string[]): Line[] =>
  lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Line];
    } catch {
      return [];
    }
  });

describe('credentials in logs', () => {
  it('never prints a credential, whichever way it came, and the lines stay useful', async () => {
    const initData = initDataFor({ id: 7001, username: 'logged_user' });
    const initDataHash = new URLSearchParams(initData).get('hash') ?? '';
    const dbUrl = new URL(db.url);
    dbUrl.password = PG_PASSWORD;
    dbUrl.searchParams.set('password', PG_QUERY_PASSWORD);
    const server = spawnServer({
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}/0`,
      BOT_TOKEN: TEST_BOT_TOKEN,
      BOT_API_ROOT: fake.apiRoot,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    await server.waitForLine(/"msg":"Ready"/, 60_000);
    await server.waitForLine(/Bot polling for updates/, 60_000);
    const base = `http://127.0.0.1:${server.httpPort()}`;

    const viaQuery = await fetch(`${base}/api/v1/users/me?init_data=${encodeURIComponent(initData)}`);
    expect(viaQuery.status).toBe(200);
    const viaHeader = await fetch(`${base}/api/v1/users/me`, {
      headers: { 'X-Telegram-Init-Data': initData },
    });
    expect(viaHeader.status).toBe(200);
    const viaTma = await fetch(`${base}/api/v1/users/me`, { headers: { Authorization: `tma ${initData}` } });
    expect(viaTma.status).toBe(200);
    const viaBearer = await fetch(`${base}/api/v1/users/me`, {
      headers: { Authorization: `Bearer ${API_KEY}` },
    });
    expect(viaBearer.status).toBe(401);
    const exportLink = await fetch(`${base}/api/public/giveaways/export/${EXPORT_TOKEN}`);
    expect(exportLink.status).toBeGreaterThanOrEqual(400);

    // The Bot API goes away; stopping the bot then fails on a getUpdates whose error quotes the URL.
    await fake.stop();
    expect(await server.kill('SIGTERM')).toBe(0);

    const output = server.lines.join('\n');
    for (const secret of [
      initDataHash,
      encodeURIComponent(initDataHash),
      API_KEY.slice(14),
      EXPORT_TOKEN,
      PG_PASSWORD,
      PG_QUERY_PASSWORD,
      REDIS_PASSWORD,
      BOT_SECRET,
    ]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(output, `the logs contain ${secret}`).not.toContain(secret);
    }

    const logs = parse(server.lines);
    const access = logs.filter((l) => l.req && l.res);
    expect(access).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          req: expect.objectContaining({ method: 'GET', url: '/api/v1/users/me?init_data=[redacted]' }),
          res: { statusCode: 200 },
        }),
        expect.objectContaining({
          req: expect.objectContaining({ url: '/api/v1/users/me' }),
          res: { statusCode: 401 },
        }),
        expect.objectContaining({
          req: expect.objectContaining({ url: '/api/public/giveaways/export/[redacted]' }),
          res: { statusCode: exportLink.status },
        }),
      ]),
    );
    const starting = logs.find((l) => l.msg === 'Starting');
    expect(starting?.database).toContain(`@127.0.0.1:${dbUrl.port || 5432}/${db.name}`);
    expect(starting?.redis).toContain(`127.0.0.1:${redis.port}`);
    // The failed stop is still reported, with the Bot API method and the bot's public id.
    const stopFailure = output.split('\n').find((l) => l.includes('getUpdates') && l.includes('failed'));
    expect(stopFailure).toContain('/bot123456789:[redacted]/getUpdates');
  }, 120_000); // A server process boots on a busy machine.
});
