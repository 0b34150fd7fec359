import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedRoutes } from '../../../server/platform/http/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { TEST_BOT_TOKEN } from '../../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let db: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  db = await createTestDatabase();
  // The Telegram routes exist only with a token; the fake Bot API root is never reached here.
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

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: { Error: { properties: { code: { enum: string[] } } } } };
};

async function docs(): Promise<Doc> {
  const res = await fetch(`${app.url}/api/docs`);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

/** What Express serves under /api/v1 and /api/public, as `METHOD /path/:param`. */
function served(): string[] {
  const express = app.app.httpServer?.listeners('request')[0] as Express;
  return servedRoutes(express)
    .filter((r) => /^\/api\/(v1|public)\//.test(r.path))
    .map((r) => `${r.method.toUpperCase()} ${r.path}`)
    .sort();
}

function documented(doc: Doc): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

describe('OpenAPI document at /api/docs', () => {
  it('documents every route Express serves under /api/v1 and /api/public, and only those', async () => {
    const doc = await docs();
    const routes = served();
    expect(routes.length).toBeGreaterThanOrEqual(48); // the table's size when written
    expect(documented(doc)).toEqual(routes);
  });

  it('is OpenAPI 3.1 with JSON schemas of params, query, bodies and responses, and error codes', async () => {
    const doc = await docs();
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/v1/giveaways']?.post;
    expect(create.requestBody.content['application/json'].schema.properties.title).toMatchObject({
      type: 'string',
      maxLength: 100,
    });
    expect(create['x-rate-limit']).toBe('create');
    expect(create.responses['201'].content['application/json'].schema.properties.id).toBeDefined();
    expect(create.responses['429'].description).toContain('RATE_LIMITED');
    const entrants = doc.paths['/api/v1/giveaways/{id}/entrants']?.get;
    expect(entrants.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:id', 'query:cursor', 'query:format']),
    );
    const upload = doc.paths['/api/v1/giveaways/{id}/manual-candidates']?.post;
    expect(Object.keys(upload.requestBody.content)).toContain('multipart/form-data');
    expect(doc.paths['/api/public/giveaways/{id}/commitment']?.get.security).toEqual([]);
    expect(doc.components.schemas.Error.properties.code.enum).toContain('GIVEAWAY_FULL');
  });

  it('refuses bad input with a 400 naming the field before the handler runs', async () => {
    const res = await fetch(`${app.url}/api/public/giveaways/not-a-uuid/commitment`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: { fields: Array<{ field: string }> } };
    expect(body.code).toBe('VALIDATION');
    expect(body.details.fields[0]?.field).toBe('id');
  });
});
