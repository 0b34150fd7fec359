// The proof endpoints: what is public before the draw (commitment, and from close the entrant root), the proof
// and entrant list after it (authenticated and public, pages and NDJSON), inclusion proofs by path, and the
// verifier CLI run against a server URL and a tampered file.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrantsNdjson } from '../../../server/draws/proofs/entrants-ndjson.ts';
import { verifyInclusionProof, type RandomProofBundle } from '../../../server/draws/protocol/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { asUser } from '../../support/telegram-user.ts';
import { startDrawsHttp, type DrawsHttp } from '../http-harness.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  makeService,
  userIds,
} from '../support.ts';

const run = promisify(execFile);
let database: TestDatabase;
let http: DrawsHttp;
let service: ReturnType<typeof makeService>;
let id: string;
const people = userIds(2_500, 6_000_000_000);

const spec = () => ({
  winners: 5,
  reserves: 3,
  participants: people,
  tickets: Object.fromEntries(people.filter((_, i) => i % 7 === 0).map((u, i) => [u, 1 + (i % 4)])),
});

// Given, for the tests after the draw: a giveaway closed and drawn here, which they only read. The test
// before the draw makes and draws a giveaway of its own.
beforeAll(async () => {
  database = await createDrawsDatabase();
  service = makeService(database.pool, new TestEvaluator(), new TableJobs());
  http = await startDrawsHttp(database.pool, service);
  id = await createGiveaway(database.pool, spec());
  expect((await service.closing.closeDue()).closed).toBe(1);
  expect((await service.execution.runDueDraws()).completed).toBe(1);
});
afterAll(async () => {
  await http?.close();
  await database?.drop();
});

const pub = (path: string, giveaway = id) => fetch(`${http.url}/api/public/giveaways/${giveaway}${path}`);

async function ndjson(res: Response): Promise<Array<{ user_id: number; weight: number }>> {
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { user_id: number; weight: number });
}

describe('before the draw', () => {
  it('publishes the commitment, then from close the entrant root and count; the proof stays secret', async () => {
    const fresh = await createGiveaway(database.pool, spec());
    const early = (await (await pub('/commitment', fresh)).json()) as any;
    expect(early).toMatchObject({
      giveaway_id: fresh,
      status: 'active',
      beacon: null,
      entrants_root: null,
      drawn: false,
    });
    expect(early.seed_commitment).toMatch(/^[0-9a-f]{64}$/);

    expect((await service.closing.closeDue()).closed).toBe(1);
    const closed = (await (await pub('/commitment', fresh)).json()) as any;
    expect(closed).toMatchObject({ entrants_count: 2_500, drawn: false });
    expect(closed.entrants_root).toMatch(/^[0-9a-f]{64}$/);
    expect((await pub('/proof', fresh)).status).toBe(404);
    expect((await pub('/entrants?format=ndjson', fresh)).status).toBe(404);
    expect((await service.execution.runDueDraws()).completed).toBe(1);
    const bundle = (await (await pub('/proof', fresh)).json()) as RandomProofBundle;
    expect(bundle.entrants_root).toBe(closed.entrants_root);
  });
});

describe('after the draw', () => {
  it('serves the same proof publicly and to signed-in users', async () => {
    const publicBundle = (await (await pub('/proof')).json()) as any;
    const signedIn = await (await asUser(http.url, { id: 5 })(`/api/v1/giveaways/${id}/proof`)).json();
    expect(publicBundle).toEqual(signedIn);
    expect(publicBundle.server_seed).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves the entrant list as keyset pages and as one NDJSON stream, in canonical order', async () => {
    const paged: unknown[] = [];
    let cursor = '';
    for (;;) {
      const res = await pub(`/entrants?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await res.json()) as any;
      paged.push(...page.entrants);
      expect(res.headers.get('x-next-cursor') ?? null).toBe(page.next_cursor);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const res = await pub('/entrants?format=ndjson');
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const streamed = await ndjson(res);
    expect(streamed).toHaveLength(2_500);
    expect(streamed).toEqual(paged);
    expect(streamed.map((e) => e.user_id)).toEqual([...people].sort((a, b) => a - b));
    expect(streamed.filter((e) => e.weight > 1).length).toBe(Math.ceil(2_500 / 7));
    const authed = await ndjson(
      await asUser(http.url, { id: 5 })(`/api/v1/giveaways/${id}/entrants?format=ndjson`),
    );
    expect(authed).toEqual(streamed);
    // From a cursor, and in slices smaller than the list (the keyset continues across slices).
    const tail = await ndjson(await pub(`/entrants?format=ndjson&cursor=${people[2_000]}`));
    expect(tail).toEqual(streamed.slice(2_001));
    let sliced = '';
    for await (const chunk of entrantsNdjson(database.pool, id, '0', 700)) sliced += chunk;
    expect(
      sliced
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    ).toEqual(streamed);
  });

  it('answers inclusion proofs by path that verify against the published root', async () => {
    const bundle = (await (await pub('/proof')).json()) as RandomProofBundle;
    for (const user of [people[0], people[1_234], people[2_499]]) {
      const proof = (await (await pub(`/inclusion/${user}`)).json()) as any;
      expect(proof).toMatchObject({
        user_id: user,
        entrants_root: bundle.entrants_root,
        entrants_count: 2_500,
      });
      expect(
        verifyInclusionProof(proof, bundle.entrants_root, 2_500, {
          user_id: user ?? 0,
          weight: proof.weight,
        }),
      ).toBe(true);
      const authed = await (
        await asUser(http.url, { id: 5 })(`/api/v1/giveaways/${id}/inclusion/${user}`)
      ).json();
      expect(authed).toEqual(proof);
    }
    expect((await pub('/inclusion/12345')).status).toBe(404);
    expect((await pub('/inclusion/abc')).status).toBe(400);
  });
});

describe('npm run verify', () => {
  const cli = (arg: string) =>
    run(process.execPath, ['--import', 'tsx', 'server/draws/verifier/verify-cli.ts', arg], {
      cwd: process.cwd(),
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it('verifies a draw from the server URL (exit 0) and catches a tampered copy at the entrants step (exit 1)', async () => {
    const ok = await cli(`${http.url}/verify/${id}`);
    expect(ok.out).toMatch(/✓ entrants +2500 entrants/);
    expect(ok.out).toMatch(/VERIFIED/);
    expect(ok.code).toBe(0);

    const bundle = await (await pub('/proof')).json();
    const entrants = await ndjson(await pub('/entrants?format=ndjson'));
    entrants[10] = { user_id: entrants[10]?.user_id ?? 0, weight: (entrants[10]?.weight ?? 1) + 1 };
    const file = join(tmpdir(), `tampered-${id}.json`);
    await writeFile(file, JSON.stringify({ bundle, entrants }));
    const bad = await cli(file);
    expect(bad.out).toMatch(/✗ entrants/);
    expect(bad.out).toMatch(/NOT VERIFIED/);
    expect(bad.code).toBe(1);
  }, 60_000);
});
