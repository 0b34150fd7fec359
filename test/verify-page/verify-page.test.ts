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
  createJobTable,
  ensureUsers,
  makeService,
  userIds,
} from '../draws/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Debian's chromium (apt-get install chromium); CI installs it. No silent skip: a missing browser fails here.
const CHROMIUM = '/usr/bin/chromium';

let database: TestDatabase;
let http: DrawsHttp;
let browser: Browser;
let service: ReturnType<typeof makeService>;
const people = userIds(400, 8_000_000);

beforeAll(async () => {
  database = await createTestDatabase();
  await createJobTable(database.pool);
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
    expect(await service.closeGiveaway(id)).toBe('completed');
    await service.reroll({ userId: 42, isAdmin: false }, id, 2, { reason: 'declined' });
    const bundle = (await service.getProof(id)) as RandomProofBundle;

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
    const winners = await page.$$eval('#winners li', (lis) => lis.map((li) => li.textContent));
    const holders = [bundle.winners[0]?.user_id, bundle.rerolls[0]?.by_user_id, bundle.winners[2]?.user_id];
    expect(winners).toEqual(holders.map((u, i) => `Place ${i + 1}: user ${u}`));
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

  it('shows a tampered proof as not verified, at the step that fails', async () => {
    const id = await createGiveaway(database.pool, { winners: 2, participants: userIds(50, 8_100_000) });
    expect(await service.closeGiveaway(id)).toBe('completed');
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
    await page.waitForFunction(`document.querySelector('#verdict')?.textContent?.includes('Not drawn yet')`);
    expect(await verdict(page).getAttribute('data-state')).toBe('pending');
    await page.close();
    expect((await fetch(`${http.url}/verify/not-a-giveaway`)).status).toBe(400);
  }, 60_000);
});
