// Property: every operation of the operation table, called with generated and mutated params, queries and bodies by
// an owner, a stranger, an API key or nobody, never answers 5xx, and a refused request (4xx) changes no row.
// Telegram and TonAPI are local fakes, so an outside failure cannot excuse a 5xx here.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OPERATION_ROUTES, OPERATION_SCHEMAS, type OperationId } from '../../../schema/contract/index.ts';
import { toWellFormed } from '../../../schema/contract/text.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { FakeTelegram } from '../../support/fake-telegram.ts';
import { createBody } from '../../support/giveaway-fixtures.ts';
import { initDataFor, TEST_BOT_TOKEN } from '../../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { FakeTonApi } from '../../ton/fake-tonapi.ts';

let db: TestDatabase;
let app: TestApp;
let telegram: FakeTelegram;
const tonapi = new FakeTonApi();
const OWNER = { id: 4101, username: 'owner' };
const STRANGER = { id: 4102, username: 'stranger' };
const giveawayIds: string[] = [];
let apiKey = '';
let tables: string[] = [];

type Caller = 'owner' | 'stranger' | 'api-key' | 'anonymous';
const headersOf = (caller: Caller): Record<string, string> => {
  switch (caller) {
    case 'owner':
      return { 'X-Telegram-Init-Data': initDataFor(OWNER) };
    case 'stranger':
      return { 'X-Telegram-Init-Data': initDataFor(STRANGER) };
    case 'api-key':
      return { Authorization: `Bearer ${apiKey}` };
    case 'anonymous':
      return {};
  }
};

/**
 * One digest per table: a refused request must leave every one as it was. Authentication refreshes the caller's
 * profile now and then (users.updated_at) before any input is read: that is the login, not the request.
 */
async function digest(): Promise<Record<string, string>> {
  const columns = tables.map((t) => {
    const row = t === 'users' ? `(to_jsonb(x) - 'updated_at')::text` : 'x::text';
    return `(SELECT md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) FROM "${t}" x) AS "${t}"`;
  });
  const { rows } = await db.pool.query(`SELECT ${columns.join(', ')}`);
  return rows[0] as Record<string, string>;
}

const shapeKeys = (schema: z.ZodType | undefined): string[] => {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
};

// Values an attacker would try: JSON of any shape, control and bidi characters, huge and odd numbers.
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', 'a\u202Eb', '\uD800', '9'.repeat(30), '-1', '1e309', 'NaN', '../../etc', '%00'),
  fc.constantFrom('9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2026-13-45T99:99:99Z'),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.constantFrom(2 ** 63, -(2 ** 53), 3e9, Number.MAX_SAFE_INTEGER + 2, null, true, [], {}),
);

function paramValue() {
  return fc.oneof(
    fc.constantFrom(...giveawayIds),
    fc.uuid(),
    hostileString,
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  );
}

function bodyFor(id: OperationId) {
  const schemas = OPERATION_SCHEMAS[id] as { body?: z.ZodType };
  const keys = [...shapeKeys(schemas.body), 'extra', '__proto__'];
  const sample: Record<string, unknown> = id === 'createGiveaway' ? createBody() : {};
  return fc.oneof(
    // A valid sample with one field replaced by something hostile.
    fc
      .record({ key: fc.constantFrom(...Object.keys(sample), ...keys), value: hostileValue })
      .map(({ key, value }) => JSON.stringify({ ...sample, [key]: value })),
    fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 4 }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 60 }),
  );
}

function requestFor(id: OperationId) {
  const route = OPERATION_ROUTES[id];
  const names = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1] as string);
  const queryKeys = [...shapeKeys((OPERATION_SCHEMAS[id] as { query?: z.ZodType }).query), 'extra'];
  return fc.record({
    id: fc.constant(id),
    caller: fc.constantFrom<Caller>('owner', 'stranger', 'api-key', 'anonymous'),
    params: fc
      .tuple(...names.map(() => paramValue()))
      .map((values) => Object.fromEntries(names.map((n, i) => [n, String(values[i])]))),
    query: fc.dictionary(fc.constantFrom(...queryKeys), hostileString, { maxKeys: 3 }),
    body: route.method === 'get' || route.method === 'head' ? fc.constant(undefined) : bodyFor(id),
  });
}

beforeAll(async () => {
  telegram = await FakeTelegram.start();
  await tonapi.start();
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    BOT_API_ROOT: telegram.apiRoot,
    TONAPI_BASE_URL: tonapi.url,
    TONAPI_RPS: '1000',
    RATE_LIMIT: 'off',
    ROLES: 'api',
  });
  const post = (path: string, body: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { ...headersOf('owner'), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  for (const user of ['owner', 'stranger'] as const) {
    await fetch(`${app.url}/api/v1/users/me`, { headers: headersOf(user) });
  }
  for (let i = 0; i < 3; i++) {
    const res = await post('/api/v1/giveaways', createBody({ title: `Fuzz ${i}` }));
    giveawayIds.push(((await res.json()) as { id: string }).id);
  }
  apiKey = ((await (await post('/api/v1/api-keys', { name: 'fuzz' })).json()) as { key: string }).key;
  const { rows } = await db.pool.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`,
  );
  // api_keys.last_used_at moves on every authenticated request, refused or not: it is bookkeeping, not data.
  tables = rows.map((r) => r.relname).filter((t) => t !== 'api_keys');
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
  await telegram?.stop();
  await tonapi.stop();
});

describe('every operation of the table under generated input', () => {
  it('never answers 5xx, and a refused request changes no row', async () => {
    const ids = Object.keys(OPERATION_ROUTES) as OperationId[];
    const arbitrary = fc.constantFrom(...ids).chain((id) => requestFor(id));
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const route = OPERATION_ROUTES[req.id];
        const path = route.path.replace(/:([A-Za-z_]+)/g, (_m, name: string) =>
          // A lone surrogate cannot be percent-encoded (URIError): send U+FFFD, as a browser would.
          encodeURIComponent(toWellFormed(req.params[name] ?? '')),
        );
        const url = new URL(path, app.url);
        for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, v);
        const before = await digest();
        const res = await fetch(url, {
          method: route.method.toUpperCase(),
          headers: {
            ...headersOf(req.caller),
            ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(req.body !== undefined ? { body: req.body } : {}),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        expect(res.status, `${req.id} ${url.pathname}${url.search} → ${text.slice(0, 300)}`).toBeLessThan(
          500,
        );
        if (res.status >= 400) {
          // HEAD answers carry no body; every other refusal is a coded error.
          if (route.method !== 'head') {
            expect(JSON.parse(text), `${req.id}: a coded error`).toMatchObject({ code: expect.any(String) });
          }
          const after = await digest();
          const changed = tables.filter((t) => after[t] !== before[t]);
          expect(
            changed,
            `${req.id} refused with ${res.status} (${text.slice(0, 200)}) but changed rows`,
          ).toEqual([]);
        }
      }),
      // A fixed seed keeps CI reproducible; FUZZ_SEED=<n> explores other inputs.
      { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 20261205) },
    );
  });
});
