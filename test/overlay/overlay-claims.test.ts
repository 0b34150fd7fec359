// The overlay and claim windows, against the real app in headless Chromium: a claim puts a ✓ on the winner, an
// unclaimed place spins the reel again and lands on the next reserve of the proof, and a place left empty (no
// reserve left) says so in the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { launchBrowser, overlayState, startOverlayServer, until, type OverlayServer } from './harness.ts';
import { passClaimDeadline } from '../support/claim-deadline.ts';

let db: TestDatabase;
let app: TestApp;
let overlay: OverlayServer;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase();
  const realtimePort = await freePort();
  app = await startTestApp(
    {
      DATABASE_URL: db.url,
      BOT_TOKEN: TEST_BOT_TOKEN,
      RATE_LIMIT: 'off',
      DEBUG: 'true',
      REALTIME_PORT: String(realtimePort),
    },
    { tuning: { claimPollMs: 200 } },
  );
  overlay = await startOverlayServer({ realtimePort: () => realtimePort });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await overlay?.close();
  await app?.stop();
  await db?.drop();
});

const owner = () => asUser(app.url, { id: 1, username: 'streamer' });

interface Row {
  place: number;
  userId: number | null;
  claimed: boolean;
  vacant: boolean;
  name: string;
}
const rows = (page: Page) =>
  page.evaluate<Row[]>(`[...document.querySelectorAll('.winners [data-place]')].map((li) => ({
    place: Number(li.dataset.place),
    userId: li.dataset.userId ? Number(li.dataset.userId) : null,
    claimed: li.dataset.claimed === 'true',
    vacant: li.dataset.vacant === 'true',
    name: li.querySelector('.w-name').textContent,
  }))`);

describe('the overlay with a claim window', () => {
  it('marks a claim, spins to the reserve for an unclaimed place, and shows an empty one', async () => {
    const res = await owner()('/api/v1/giveaways', {
      method: 'POST',
      json: createBody({ duration: 5, winners_count: 3, reserves_count: 1, claim_window: 600, prizes: [] }),
    });
    const { id } = (await res.json()) as { id: string };
    for (const uid of [4001, 4002, 4003, 4004, 4005, 4006]) {
      const joined = await asUser(app.url, { id: uid, username: `viewer${uid}` })(
        `/api/v1/giveaways/${id}/join`,
        { method: 'POST' },
      );
      expect(joined.status).toBe(200);
    }
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${overlay.url}/overlay/${id}?layout=full`);
    await until(
      () => overlayState(page),
      (s) => s.phase === 'results' && s.winners.length === 3,
      40_000,
    );
    const proof = (await (await owner()(`/api/v1/giveaways/${id}/proof`)).json()) as {
      winners: Array<{ place: number; user_id: number }>;
      reserves: number[];
    };
    const [w1, w2, w3] = proof.winners.map((w) => Number(w.user_id));
    const reserve = Number(proof.reserves[0]);

    const claimed = await asUser(app.url, { id: w3 as number })(`/api/v1/giveaways/${id}/claim`, {
      method: 'POST',
    });
    expect(claimed.status).toBe(200);
    await until(
      () => rows(page),
      (r) => r.find((x) => x.place === 3)?.claimed === true,
    );

    await page.evaluate(`(() => {
      window.__hits = [];
      new MutationObserver(() => {
        const hit = document.querySelector('.landed .hit');
        if (hit && window.__hits[window.__hits.length - 1] !== hit) window.__hits.push(hit);
      }).observe(document.querySelector('[data-part="draw"]'), { subtree: true, attributes: true, childList: true });
    })()`);
    // Place 1's deadline passes first (it takes the only reserve), then place 2's (nobody left).
    const expire = (place: number) => passClaimDeadline(db.pool, id, [place]);
    await expire(1);
    await until(
      () => rows(page),
      (r) => r.find((x) => x.place === 1)?.userId === reserve,
      20_000,
    );
    await expire(2);
    const final = await until(
      () => rows(page),
      (r) => r.find((x) => x.place === 2)?.vacant === true && r.find((x) => x.place === 1)?.name !== '',
      20_000,
    );
    expect(final.map((r) => [r.place, r.userId, r.claimed, r.vacant])).toEqual([
      [1, reserve, false, false],
      [2, null, false, true],
      [3, w3, true, false],
    ]);
    expect(final[1]?.name).toBe('Unclaimed: no reserve left');
    expect(await page.evaluate<number[]>('window.__hits.map((h) => Number(h.dataset.userId))')).toEqual([
      reserve,
    ]);
    expect([w1, w2]).not.toContain(reserve);
    await page.close();
  }, 90_000);
});
