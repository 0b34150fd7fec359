// Bad input gets a 400 naming the field and changes nothing: each case here answered 500 (or stored garbage)
// before the contract bounded it.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createBody } from '../../support/giveaway-fixtures.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
const OWNER = { id: 3101, username: 'owner' };
const call = (init?: Parameters<ReturnType<typeof asUser>>[1]) =>
  asUser(app.url, OWNER)('/api/v1/giveaways', { method: 'POST', ...init });

type Json = Record<string, any>;
const rowCount = async () =>
  Number(
    (
      await db.pool.query(
        `SELECT (SELECT count(*) FROM giveaways) + (SELECT count(*) FROM giveaway_prizes) AS n`,
      )
    ).rows[0].n,
  );

async function refused(res: Response, field?: string): Promise<Json> {
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.code).toBe('VALIDATION');
  if (field) {
    const fields = (body.details?.fields ?? []) as Array<{ field: string }>;
    expect(fields.map((f) => f.field)).toContain(field);
  }
  return body;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({ DATABASE_URL: db.url, BOT_TOKEN: TEST_BOT_TOKEN, RATE_LIMIT: 'off' });
  await asUser(app.url, OWNER)('/api/v1/users/me');
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('dates and numbers have bounds that fit their meaning', () => {
  it('refuses a giveaway whose end falls past year 9999, and the creator lists still answer', async () => {
    const before = await rowCount();
    const res = await call({
      json: createBody({ starts_at: '9999-12-31T23:00:00Z', duration: 5 * 86400 }),
    });
    await refused(res, 'starts_at');
    expect(await rowCount()).toBe(before);
    const mine = await asUser(app.url, OWNER)('/api/v1/giveaways/me/all');
    expect(mine.status).toBe(200);
  });

  it('refuses a start centuries away, even with a short duration', async () => {
    await refused(
      await call({ json: createBody({ starts_at: '9999-12-31T00:00:00Z', duration: 600 }) }),
      'starts_at',
    );
    const nextYearAndADay = new Date(Date.now() + 367 * 86400_000).toISOString();
    await refused(await call({ json: createBody({ starts_at: nextYearAndADay }) }), 'starts_at');
  });

  it('refuses min_participants beyond any giveaway (3e9) with a 400', async () => {
    const res = await asUser(app.url, OWNER)('/api/v1/giveaways?min_participants=3000000000');
    await refused(res, 'min_participants');
  });
});

describe('text is valid Unicode without control or bidi characters', () => {
  it.each([
    ['a NUL in the title', { title: 'a\u0000b' }, 'title'],
    [
      'a NUL in a prize description',
      { prizes: [{ title: 'P', description: 'x\u0000' }] },
      'prizes.0.description',
    ],
    ['a C0 control in the title', { title: 'bell\u0007' }, 'title'],
    ['a C1 control in the description', { description: 'x\u0085y' }, 'description'],
    ['a right-to-left override in the title', { title: 'evil\u202Etxt.exe' }, 'title'],
    ['a first-strong isolate in the description', { description: 'a\u2068b' }, 'description'],
    ['a lone surrogate in the title', { title: 'a\uD800b' }, 'title'],
    [
      'a NUL in a custom requirement',
      { requirements: [{ type: 'custom', name: 'n\u0000' }] },
      'requirements.0.name',
    ],
  ])('refuses %s, naming the field, and stores nothing', async (_name, patch, field) => {
    const before = await rowCount();
    await refused(await call({ json: createBody(patch) }), field);
    expect(await rowCount()).toBe(before);
  });

  it('keeps newlines and tabs in descriptions', async () => {
    const res = await call({ json: createBody({ description: 'line one\n\tline two' }) });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Json).description).toBe('line one\n\tline two');
  });

  it('refuses a NUL in a field no schema names (query string) instead of reaching PostgreSQL', async () => {
    const res = await asUser(app.url, OWNER)('/api/v1/giveaways?cursor=%00');
    expect(res.status).toBe(400);
  });
});

describe('bodies and cursors are checked before any query runs', () => {
  it('refuses a gzip body that is not gzip', async () => {
    const res = await fetch(`${app.url}/api/v1/giveaways`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'X-Telegram-Init-Data': initDataFor(OWNER),
      },
      body: 'definitely not gzip',
    });
    await refused(res);
  });

  it('accepts a real gzip body', async () => {
    const res = await fetch(`${app.url}/api/v1/giveaways`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'X-Telegram-Init-Data': initDataFor(OWNER),
      },
      body: gzipSync(JSON.stringify(createBody())),
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ['a cursor with wrong field types', { a: {}, b: [], c: 1 }],
    ['a cursor with a NUL', { a: 1, b: '2026-01-01T00:00:00Z', c: '\u0000' }],
    [
      'a cursor with an impossible date',
      { a: 1, b: '+275760-09-13T00:00:00.001Z', c: '00000000-0000-0000-0000-000000000000' },
    ],
  ])('refuses %s on the list routes', async (_name, cursor) => {
    const token = Buffer.from(JSON.stringify(cursor)).toString('base64url');
    for (const path of ['/api/v1/giveaways', '/api/v1/giveaways/me/all']) {
      const res = await asUser(app.url, OWNER)(`${path}?cursor=${token}`);
      await refused(res, 'cursor');
    }
  });

  it('refuses an avatar chat id beyond int8 (the known-chat lookup answered 500)', async () => {
    const res = await fetch(`${app.url}/api/public/channels/9223372036854775296/avatar`);
    await refused(res, 'chat');
  });

  it('refuses an entrants cursor beyond int8, in JSON and NDJSON', async () => {
    const id = ((await (await call({ json: createBody() })).json()) as Json).id as string;
    for (const format of ['', '&format=ndjson']) {
      const res = await fetch(
        `${app.url}/api/public/giveaways/${id}/entrants?cursor=99999999999999999999${format}`,
      );
      await refused(res, 'cursor');
    }
    const big = await fetch(`${app.url}/api/public/giveaways/${id}/entrants?cursor=9223372036854775808`);
    await refused(big, 'cursor');
  });
});
