// The /verify/:id page in headless Chromium: it downloads the public proof and entrants and re-runs the draw in
// the browser with the SDK verifier, shows each step, the winners, and checks one entrant's inclusion proof; a
// tampered proof shows as not verified; it never requests anything from another origin.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RandomProofBundle } from '../../server/draws/protocol/index.ts';
import { startDrawsHttp, type DrawsHttp } from '../draws/http-harness.ts';
import {
  TableJobs,
  TestEvaluator,
  createGiveaway,
  createDrawsDatabase,
  ensureUsers,
  makeService,
  userIds,
} from '../draws/support.ts';
import type { TestDatabase } from '../support/database.ts';
import { passClaimDeadline } from '../support/claim-deadline.ts';

// Debian's chromium (apt-get install chromium); CI installs it. No silent skip: a missing browser fails here.
const CHROMIUM = '/usr/bin/chromium';

let database: TestDatabase;
let http: DrawsHttp;
let browser: Browser;
let service: ReturnType<typeof makeService>;
const people = userIds(400, 8_000_000);

beforeAll(async () => {
  database = await createDrawsDatabase();
  await ensureUsers(database.pool, [42]);
  service = makeService(database.pool, new TestEvaluator(), new TableJobs());
  http = await startDrawsHttp(database.pool, service, { verifyPage: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await database?.drop();
});

async function open(id: string): Promise<{ page: Page; foreign: string[] }> {
  const page = await browser.newPage();
  const foreign: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(http.url)) foreign.push(req.url());
  });
  await page.goto(`${http.url}/verify/${id}`);
  return { page, foreign };
}

const verdict = (page: Page) => page.locator('#verdict');

describe('the verify page', () => {
  it('re-runs a drawn giveaway in the browser: every step passes, winners shown, own inclusion checked', async () => {
    const id = await createGiveaway(database.pool, {
      winners: 3,
      reserves: 2,
      participants: people,
      tickets: { [people[5] ?? 0]: 4 },
    });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    await service.rerolls.reroll({ userId: 42, isAdmin: false }, id, 2, { reason: 'declined' });
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;

    const { page, foreign } = await open(id);
    await page.waitForSelector('#verdict[data-state="ok"]', { timeout: 30_000 });
    expect(await verdict(page).textContent()).toMatch(/Verified: 400 entrants/);
    const steps = await page.$$eval('#steps li', (lis) =>
      lis.map((li) => [li.getAttribute('data-step'), li.getAttribute('data-ok')]),
    );
    expect(steps).toEqual([
      ['bundle', 'true'],
      ['commitment', 'true'],
      ['beacon', 'true'],
      ['entrants', 'true'],
      ['selection', 'true'],
      ['rerolls', 'true'],
    ]);
    const winners = await page.$$eval('#winners .place-chain', (spans) => spans.map((s) => s.textContent));
    const [w1, w2, w3] = bundle.winners.map((w) => w.user_id);
    expect(winners).toEqual([
      `Place 1: user ${w1} (drawn)`,
      `Place 2: user ${w2} (drawn) → user ${bundle.rerolls[0]?.by_user_id} (next reserve; declined)`,
      `Place 3: user ${w3} (drawn)`,
    ]);
    expect(await page.locator('#commitment').textContent()).toContain(bundle.seed_commitment);

    await page.fill('#user-id', String(people[5]));
    await page.click('button[type="submit"]');
    await page.waitForSelector('#inclusion-result[data-state="ok"]');
    expect(await page.locator('#inclusion-result').textContent()).toMatch(/with weight 5/);
    await page.fill('#user-id', '123');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#inclusion-result[data-state="fail"]');
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  it('follows each place through unclaimed rerolls to its holder, its claim, or the empty place it became', async () => {
    const id = await createGiveaway(database.pool, {
      winners: 3,
      reserves: 1,
      participants: userIds(30, 8_300_000),
    });
    await database.pool.query(`UPDATE giveaways SET claim_window = 600 WHERE id = $1`, [id]);
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    const bundle = (await service.proofs.getProof(id)) as RandomProofBundle;
    const [w1, w2, w3] = bundle.winners.map((w) => Number(w.user_id));
    await service.claims.claim({ userId: w3 as number, isAdmin: false }, id);
    await passClaimDeadline(database.pool, id, [1, 2]);
    expect(await service.claims.expire(id, 1)).toBe('rerolled');
    expect(await service.claims.expire(id, 2)).toBe('vacated');

    const { page } = await open(id);
    await page.waitForSelector('#verdict[data-state="ok"]', { timeout: 30_000 });
    const places = await page.$$eval('#winners li', (lis) =>
      lis.map((li) => [
        li.querySelector('.place-chain')?.textContent,
        li.querySelector('.place-state')?.textContent,
      ]),
    );
    expect(places).toEqual([
      [
        `Place 1: user ${w1} (drawn) → user ${bundle.reserves[0]} (next reserve; unclaimed)`,
        expect.stringMatching(/^claim by \d{4}-/),
      ],
      [`Place 2: user ${w2} (drawn)`, '→ empty: not claimed in time, no reserve left'],
      [`Place 3: user ${w3} (drawn)`, '✓ claimed'],
    ]);

    // A holder the proof does not lead to (the winners table edited by hand) fails the page.
    await database.pool.query(`UPDATE winners SET user_id = $2 WHERE giveaway_id = $1 AND place = 3`, [
      id,
      42,
    ]);
    await page.close();
    // A fresh page (and HTTP cache): the public routes may be cached for a few seconds.
    const again = await open(id);
    await again.page.waitForSelector('#verdict[data-state="fail"]', { timeout: 30_000 });
    expect(await verdict(again.page).textContent()).toMatch(
      /place 3 is held by someone the proof does not name/,
    );
    await again.page.close();
  }, 60_000);

  it('shows a tampered proof as not verified, at the step that fails', async () => {
    const id = await createGiveaway(database.pool, { winners: 2, participants: userIds(50, 8_100_000) });
    expect(await service.execution.closeAndDraw(id)).toBe('completed');
    // Someone edits the stored proof: place 1 now names another entrant.
    await database.pool.query(
      `UPDATE draw_proofs SET bundle = jsonb_set(bundle, '{winners,0,user_id}', to_jsonb(8100049)) WHERE giveaway_id = $1`,
      [id],
    );
    const { page } = await open(id);
    await page.waitForSelector('#verdict[data-state="fail"]', { timeout: 30_000 });
    expect(await verdict(page).textContent()).toMatch(/NOT verified: the selection check failed/);
    expect(await page.getAttribute('#steps li[data-step="selection"]', 'data-ok')).toBe('false');
    expect(await page.getAttribute('#steps li[data-step="entrants"]', 'data-ok')).toBe('true');
    await page.close();
  }, 60_000);

  it('says a giveaway is not drawn yet, and serves a strict CSP', async () => {
    const id = await createGiveaway(database.pool, {
      winners: 1,
      participants: userIds(3, 8_200_000),
      endsInMs: 600_000,
    });
    const res = await fetch(`${http.url}/verify/${id}`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*connect-src 'self'/);
    const { page } = await open(id);
    // A locator, not waitForFunction: a string predicate is eval'd in the page, which its CSP forbids.
    await page.locator('#verdict', { hasText: 'Not drawn yet' }).waitFor();
    expect(await verdict(page).getAttribute('data-state')).toBe('pending');
    await page.close();
    expect((await fetch(`${http.url}/verify/not-a-giveaway`)).status).toBe(400);
  }, 60_000);
});
