import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  EntrantsPage,
  InclusionProofResponse,
  ManualCandidatesResponse,
} from '../../schema/contract/draws.ts';
import { drawsHandlers } from '../../server/draws/draws.routes.ts';
import type { Draws } from '../../server/draws/index.ts';
import {
  verifyInclusionProof,
  verifyProofBundle,
  type ProofBundle,
} from '../../server/draws/protocol/index.ts';
import { errorHandler } from '../../server/platform/http/error-handler.ts';
import type { TestDatabase } from '../support/database.ts';
import { operationRouters } from '../support/operation-routers.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  ensureUsers,
  makeService,
  silentLogger,
  userIds,
} from './support.ts';

let db: TestDatabase;
let service: Draws;
let server: Server;
let base: string;

beforeAll(async () => {
  db = await createDrawsDatabase();
  service = makeService(db.pool, new TestEvaluator(), new TableJobs());
  const app = express();
  app.use(express.json());
  // Route tests only: the caller comes from a test header instead of signed init-data.
  app.use((req, _res, next) => {
    req.log = silentLogger;
    const user = Number(req.headers['x-test-user'] ?? 42);
    req.principal = { userId: user, isAdmin: user === 900, isBanned: false, via: 'init-data' };
    next();
  });
  app.use('/api/v1', operationRouters(drawsHandlers(service)).v1);
  app.use(errorHandler);
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await db?.drop();
});

const call = (path: string, init: RequestInit & { user?: number } = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: { ...(init.headers ?? {}), 'x-test-user': String(init.user ?? 42) },
  });

function fileForm(text: string, field = 'file', extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  form.append(field, new Blob([text], { type: 'text/plain' }), 'winners.txt');
  return form;
}

async function pendingGiveaway(count = 4) {
  const people = userIds(count);
  const id = await createGiveaway(db.pool, {
    winners: 2,
    participants: people,
    requirements: ['custom'],
    prizes: [{ title: 'Gold' }],
  });
  expect(await service.execution.closeAndDraw(id)).toBe('pending');
  return { id, people };
}

describe('manual winners over REST', () => {
  it('accepts a multipart file in field `file`, lists it, clears it (204)', async () => {
    const { id, people } = await pendingGiveaway();
    const res = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      body: fileForm(`${people[0]}\n${people[1]}`),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ManualCandidatesResponse;
    expect(body.results.map((r) => r.user_id)).toEqual([people[0], people[1]]);
    expect(body.results[0]?.prizes).toEqual([{ title: 'Gold', description: '', quantity: 1 }]);
    expect(body.results[1]).not.toHaveProperty('prizes');

    const listed = await call(`/giveaways/${id}/list-loaded-winners`);
    expect(await listed.json()).toEqual(body);
    const cleared = await call(`/giveaways/${id}/loaded-winners`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(await (await call(`/giveaways/${id}/list-loaded-winners`)).json()).toEqual({ results: [] });
  });

  it('accepts a raw text/plain body too, and refuses other content types', async () => {
    const { id, people } = await pendingGiveaway();
    const text = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: `${people[2]}`,
    });
    expect(text.status).toBe(200);
    const json = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [people[2]] }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 'VALIDATION' });
    const huge = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '1 '.repeat(1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses a form without the file, a file in another field, and a 2 MB file', async () => {
    const { id, people } = await pendingGiveaway();
    const noFile = new FormData();
    noFile.append('note', 'hello');
    const none = await call(`/giveaways/${id}/manual-candidates`, { method: 'POST', body: noFile });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ code: 'VALIDATION' });

    const wrong = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      body: fileForm(`${people[0]}`, 'upload'),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ code: 'VALIDATION' });

    const big = `${people[0]}\n`.repeat(Math.ceil((2 * 1024 * 1024) / (String(people[0]).length + 1)));
    const tooBig = await call(`/giveaways/${id}/manual-candidates`, { method: 'POST', body: fileForm(big) });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', error: expect.any(String) });
  });

  it('answers 403 to a non-owner, 400 to a bad id, 400 to a list without participants', async () => {
    const { id, people } = await pendingGiveaway();
    const stranger = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      body: fileForm(`${people[0]}`),
      user: 43,
    });
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await call(`/giveaways/${id}/list-loaded-winners`, { user: 43 })).status).toBe(403);
    expect((await call(`/giveaways/${id}/loaded-winners`, { method: 'DELETE', user: 43 })).status).toBe(403);

    for (const path of ['/giveaways/not-a-uuid/manual-candidates', '/giveaways/123/manual-candidates']) {
      const bad = await call(path, { method: 'POST', body: fileForm('1') });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'VALIDATION' });
    }
    expect((await call('/giveaways/nope/proof')).status).toBe(400);
    expect((await call('/giveaways/nope/list-loaded-winners')).status).toBe(400);

    const empty = await call(`/giveaways/${id}/manual-candidates`, {
      method: 'POST',
      body: fileForm('@ghost 1'),
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: 'No valid winners in the list' });
  });

  it('previews with a giveaway_id form field without storing', async () => {
    const { id, people } = await pendingGiveaway();
    const res = await call('/giveaways/manual-candidates/preview', {
      method: 'POST',
      body: fileForm(`${people[3]} ${people[0]}`, 'file', { giveaway_id: id }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ManualCandidatesResponse).results.map((r) => r.user_id)).toEqual([
      people[3],
      people[0],
    ]);
    expect(await (await call(`/giveaways/${id}/list-loaded-winners`)).json()).toEqual({ results: [] });
    const badId = await call('/giveaways/manual-candidates/preview', {
      method: 'POST',
      body: fileForm('1', 'file', { giveaway_id: 'x' }),
    });
    expect(badId.status).toBe(400);
  });

  it('previews a file sent alone, as the Mini App does while setting up a giveaway', async () => {
    const people = userIds(2);
    await ensureUsers(db.pool, people);
    const res = await call('/giveaways/manual-candidates/preview', {
      method: 'POST',
      body: fileForm(`@nobody_here ${people[1]}\n${people[0]}`),
      user: 4242,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ManualCandidatesResponse;
    expect(body.results.map((r) => [r.user_id, r.source, 'prizes' in r])).toEqual([
      [people[1], 'id', false],
      [people[0], 'id', false],
    ]);
  });
});

describe('proof and entrants over REST', () => {
  it('serves nothing before the draw, then a bundle that verifies against the paged entrants', async () => {
    const people = userIds(5);
    const id = await createGiveaway(db.pool, { winners: 2, participants: people, endsInMs: 60_000 });
    expect((await call(`/giveaways/${id}/proof`)).status).toBe(404);
    expect((await call(`/giveaways/${id}/entrants`)).status).toBe(404);
    await db.pool.query(`UPDATE giveaways SET ends_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await service.execution.closeAndDraw(id)).toBe('completed');

    const bundle = (await (await call(`/giveaways/${id}/proof`)).json()) as ProofBundle;
    const first = (await (await call(`/giveaways/${id}/entrants?limit=3`)).json()) as EntrantsPage;
    expect(first.entrants).toHaveLength(3);
    const second = (await (
      await call(`/giveaways/${id}/entrants?limit=3&cursor=${first.next_cursor ?? ''}`)
    ).json()) as EntrantsPage;
    expect(second.next_cursor).toBeNull();
    const entrants = [...first.entrants, ...second.entrants];
    expect(entrants.map((e) => e.user_id)).toEqual(people);
    expect(verifyProofBundle(bundle, entrants).ok).toBe(true);

    expect((await call(`/giveaways/${id}/entrants?limit=1001`)).status).toBe(400);
    expect((await call(`/giveaways/${id}/entrants?cursor=abc`)).status).toBe(400);

    const me = people[1] as number;
    const proof = (await (
      await call(`/giveaways/${id}/inclusion-proof`, { user: me })
    ).json()) as InclusionProofResponse;
    expect(proof).toMatchObject({ user_id: me, weight: 1, entrants_root: bundle.entrants_root });
    expect(
      verifyInclusionProof(proof, bundle.entrants_root, bundle.entrants_count, { user_id: me, weight: 1 }),
    ).toBe(true);
    expect((await call(`/giveaways/${id}/inclusion-proof?user_id=12345`)).status).toBe(404);
  });
});
