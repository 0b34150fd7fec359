import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_OPERATIONS } from '../../../schema/contract/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { asUser, TEST_BOT_TOKEN } from '../../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  db = await createTestDatabase();
  // The Telegram routes exist only with a token; the fake Bot API root is never reached by these probes.
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    ROLES: 'api',
    BOT_API_ROOT: 'http://127.0.0.1:9',
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe('OpenAPI document', () => {
  it('is served at /api/docs, generated from the contract with JSON schemas of the inputs', async () => {
    const res = await fetch(`${app.url}/api/docs`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/v1/giveaways'].post;
    expect(create.requestBody.content['application/json'].schema.properties.title).toMatchObject({
      type: 'string',
      maxLength: 100,
    });
    expect(doc.components.schemas.Error.properties.code.enum).toContain('GIVEAWAY_FULL');
  });

  it('documents only routes the server really serves', async () => {
    const call = asUser(app.url, { id: 5 });
    for (const op of REST_OPERATIONS) {
      const path = op.path
        .replace(':creator_id', '5')
        .replace(':username', 'somechannel')
        .replace(':user_id', '5')
        .replace(':place', '1')
        .replace(':chat', 'somechannel')
        .replace(/:id/g, '00000000-0000-4000-8000-000000000000');
      const res = await call(path, { method: op.method.toUpperCase(), ...(op.body ? { json: {} } : {}) });
      const body = res.status === 204 ? null : ((await res.json()) as any);
      // Anything but the router's own "No route" 404 proves the route exists.
      expect(body?.error ?? '', `${op.method} ${op.path}`).not.toMatch(/^No route/);
    }
  });
});
