// The winners export against real PostgreSQL (and Redis for links): exact CSV bytes, ownership, and
// one-time, expiring public links.
import { Router } from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportsService, exportsHandlers, publicExportHandlers } from '../../server/exports/index.ts';
import { createHttpApp } from '../../server/platform/http/index.ts';
import { serve, type RunningServer } from '../../server/platform/http/serve.ts';
import { createLogger } from '../../server/platform/logger.ts';
import { createMetrics } from '../../server/platform/metrics.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { operationRouters } from '../support/operation-routers.ts';
import { testKeyPrefix, testRedisUrl } from '../support/redis.ts';
import { compileTrust } from '../../server/platform/client-ip.ts';

const OWNER = 100;
const STRANGER = 200;
const ADMIN = 900;
const G1 = '11111111-1111-4111-8111-111111111111';
const EMPTY = '22222222-2222-4222-8222-222222222222';
const PUBLIC_BASE = 'https://api.example.test';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.pool.query(`
    INSERT INTO users (id, username, first_name, last_name, wallet_address) VALUES
      (100, 'owner', 'Owner', '', NULL), (200, 'stranger', 'S', '', NULL), (900, NULL, 'Admin', '', NULL),
      (1, 'alice', '=HYPERLINK("x")', 'Smith', 'EQabc'),
      (2, NULL, E'Bob\\nNewline', '+1', NULL),
      (3, 'carol', '@home', '-minus', '-1:deadbeef');
    INSERT INTO giveaways (id, creator_id, title, status, started_at, ends_at, duration, winners_count) VALUES
      ('${G1}', 100, 'Done', 'completed', now() - interval '1 hour', now(), 3600, 3),
      ('${EMPTY}', 100, 'Running', 'active', now(), now() + interval '1 hour', 3600, 1);
    INSERT INTO giveaway_prizes (giveaway_id, position, title, quantity) VALUES
      ('${G1}', 0, 'Stars', 100), ('${G1}', 1, 'Gift, "Big"', 1);
    INSERT INTO winners (giveaway_id, place, user_id) VALUES ('${G1}', 1, 1), ('${G1}', 2, 2), ('${G1}', 3, 3);
    INSERT INTO win_records (giveaway_id, user_id, place, giveaway_prize_id, prize_title, prize_description, quantity)
    SELECT '${G1}', 1, 1, id, title, CASE position WHEN 1 THEN E'tab\\tinside' ELSE '' END, quantity
      FROM giveaway_prizes WHERE giveaway_id = '${G1}' ORDER BY position DESC;
    INSERT INTO win_records (giveaway_id, user_id, place, prize_title, prize_description, quantity)
      VALUES ('${G1}', 2, 2, 'Stars', E'\\tstarts with tab', 50);
  `);
});
afterAll(() => tdb.drop());

const HEADER =
  'place,user_id,username,first_name,last_name,wallet_address,prize_title,prize_description,prize_quantity';
const G1_CSV =
  '\uFEFF' +
  [
    HEADER,
    `1,1,alice,"'=HYPERLINK(""x"")",Smith,EQabc,Stars,,100`,
    `1,1,alice,"'=HYPERLINK(""x"")",Smith,EQabc,"Gift, ""Big""",tab\tinside,1`,
    `2,2,,"Bob\nNewline",'+1,,Stars,'\tstarts with tab,50`,
    `3,3,carol,'@home,'-minus,'-1:deadbeef,,,`, // No win records: one row, empty prize columns.
  ]
    .map((line) => line + '\r\n')
    .join('');

interface Harness {
  service: ExportsService;
  http: RunningServer;
  as(user?: number, admin?: boolean): (path: string) => Promise<Response>;
}

async function startHarness(redis: Redis | null, keyPrefix: string): Promise<Harness> {
  const service = new ExportsService({ pool: tdb.pool, redis, keyPrefix, publicBaseUrl: PUBLIC_BASE });
  const api = Router();
  // Stands in for `authenticate` (tested elsewhere): the principal comes from test headers.
  api.use((req, _res, next) => {
    const user = req.header('x-test-user');
    if (user) {
      req.principal = {
        userId: Number(user),
        isAdmin: req.header('x-test-admin') === '1',
        isBanned: false,
        via: 'init-data',
      };
    }
    next();
  });
  const routers = operationRouters({ ...exportsHandlers(service), ...publicExportHandlers(service) });
  api.use(routers.v1);
  const app = createHttpApp({
    logger: createLogger('silent'),
    metrics: createMetrics(),
    origin: '*',
    trustProxy: compileTrust({ hops: 0 }),
    ops: Router(),
    routers: [
      { path: '/api/v1', router: api },
      { path: '/api/public', router: routers.public },
    ],
  });
  const http = await serve(app, 0, '127.0.0.1');
  return {
    service,
    http,
    as: (user, admin) => (path) => {
      const headers: Record<string, string> = {};
      if (user !== undefined) headers['x-test-user'] = String(user);
      if (admin) headers['x-test-admin'] = '1';
      return fetch(`http://127.0.0.1:${http.port}${path}`, { headers });
    },
  };
}

describe('GET /giveaways/:id/stats.csv', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(null, 'gw:');
  });
  afterAll(() => h.http.close(1_000));

  it('gives the owner every (winner, prize) row as exact CSV bytes', async () => {
    const res = await h.as(OWNER)(`/api/v1/giveaways/${G1}/stats.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="giveaway_${G1}_winners.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.equals(Buffer.from(G1_CSV, 'utf8'))).toBe(true);
  });

  it('gives only the header row for a giveaway without winners', async () => {
    const res = await h.as(OWNER)(`/api/v1/giveaways/${EMPTY}/stats.csv`);
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe(`\uFEFF${HEADER}\r\n`);
  });

  it('refuses other users, serves admins, and checks the id', async () => {
    const stranger = await h.as(STRANGER)(`/api/v1/giveaways/${G1}/stats.csv`);
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toMatchObject({ code: 'FORBIDDEN' });

    const admin = await h.as(ADMIN, true)(`/api/v1/giveaways/${G1}/stats.csv`);
    expect(admin.status).toBe(200);
    expect(Buffer.from(await admin.arrayBuffer()).equals(Buffer.from(G1_CSV, 'utf8'))).toBe(true);

    const missing = await h.as(OWNER)(`/api/v1/giveaways/33333333-3333-4333-8333-333333333333/stats.csv`);
    expect(missing.status).toBe(404);
    const bad = await h.as(OWNER)('/api/v1/giveaways/not-a-uuid/stats.csv');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VALIDATION' });
    expect((await h.as()(`/api/v1/giveaways/${G1}/stats.csv`)).status).toBe(401);
  });
});

describe.each([
  { store: 'redis', redis: true },
  { store: 'memory', redis: false },
])('one-time export links ($store)', ({ redis: useRedis }) => {
  let h: Harness;
  let redis: Redis | null = null;
  const keyPrefix = testKeyPrefix();
  beforeAll(async () => {
    redis = useRedis ? new Redis(testRedisUrl()) : null;
    h = await startHarness(redis, keyPrefix);
  });
  afterAll(async () => {
    await h.http.close(1_000);
    await redis?.quit();
  });

  const linkFor = async (user: number) => {
    const res = await h.as(user)(`/api/v1/giveaways/${G1}/export-link`);
    return {
      status: res.status,
      body: (await res.json()) as { url: string; expires_in: number; code?: string },
    };
  };

  it('serves the CSV once without auth, then 404', async () => {
    const { status, body } = await linkFor(OWNER);
    expect(status).toBe(200);
    expect(body.expires_in).toBe(120);
    expect(body.url).toMatch(
      /^https:\/\/api\.example\.test\/api\/public\/giveaways\/export\/[A-Za-z0-9_-]{43}$/,
    );
    const path = new URL(body.url).pathname;
    if (redis) {
      const token = path.split('/').pop();
      const ttl = await redis.ttl(`${keyPrefix}export:${token}`);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }

    // A HEAD probe (some download clients send one first) must not spend the link.
    const probe = await fetch(`http://127.0.0.1:${h.http.port}${path}`, { method: 'HEAD' });
    expect(probe.status).toBe(200);
    expect(probe.headers.get('content-disposition')).toBe(
      `attachment; filename="giveaway_${G1}_winners.csv"`,
    );

    const first = await h.as()(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(
      `attachment; filename="giveaway_${G1}_winners.csv"`,
    );
    expect(Buffer.from(await first.arrayBuffer()).equals(Buffer.from(G1_CSV, 'utf8'))).toBe(true);

    const second = await h.as()(path);
    expect(second.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${h.http.port}${path}`, { method: 'HEAD' })).status).toBe(404);
    expect(await second.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is only issued to the owner or an admin', async () => {
    expect(await linkFor(STRANGER)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await linkFor(ADMIN)).status).toBe(403); // Without the admin flag, user 900 is a stranger.
  });

  it('rejects malformed tokens and unknown ones', async () => {
    expect((await h.as()('/api/public/giveaways/export/short')).status).toBe(400);
    expect((await h.as()(`/api/public/giveaways/export/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('expires after its TTL', async () => {
    const shortLived = new ExportsService({
      pool: tdb.pool,
      redis,
      keyPrefix,
      publicBaseUrl: PUBLIC_BASE,
      linkTtlSec: 1,
    });
    const principal = { userId: OWNER, isAdmin: false, isBanned: false, via: 'init-data' as const };
    const link = await shortLived.createExportLink(principal, G1);
    expect(link.expires_in).toBe(1);
    // Not synchronisation: the link's TTL of 1 s passes (Redis expires the key; there is no clock to move).
    await new Promise((r) => setTimeout(r, 1_100));
    const token = new URL(link.url).pathname.split('/').pop() ?? '';
    await expect(shortLived.redeemExportLink(token)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
