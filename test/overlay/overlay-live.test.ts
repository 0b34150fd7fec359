// The overlay against the real app in headless Chromium: it connects, follows joins made over REST, counts
// down to zero, reveals exactly the winners of the published proof (and a reroll's replacement), and rides out
// a server restart and a reload while the server is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/free-port.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { asUser, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  artifact,
  launchBrowser,
  overlayState,
  startOverlayServer,
  until,
  type OverlayServer,
} from './harness.ts';

let db: TestDatabase;
let app: TestApp;
let realtimePort: number;
let overlay: OverlayServer;
let browser: Browser;

const env = () => ({
  DATABASE_URL: db.url,
  BOT_TOKEN: TEST_BOT_TOKEN,
  RATE_LIMIT: 'off',
  DEBUG: 'true',
  REALTIME_PORT: String(realtimePort),
});

beforeAll(async () => {
  db = await createTestDatabase();
  realtimePort = await freePort();
  app = await startTestApp(env());
  overlay = await startOverlayServer({ realtimePort: () => realtimePort });
  // The first overlay request builds the page bundle (esbuild, seconds on a busy machine). Built here, so the
  // six-second countdown test does not spend its window on it when it runs first.
  expect((await fetch(`${overlay.url}/overlay/demo`)).status).toBe(200);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await overlay?.close();
  await app?.stop();
  await db?.drop();
});

const owner = () => asUser(app.url, { id: 1, username: 'streamer' });

async function createGiveaway(
  body: Record<string, unknown>,
): Promise<{ id: string; seed_commitment: string }> {
  const res = await owner()('/api/v1/giveaways', { method: 'POST', json: createBody(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; seed_commitment: string };
}

async function join(id: string, userIds: number[]): Promise<void> {
  for (const uid of userIds) {
    const res = await asUser(app.url, { id: uid, username: `viewer${uid}` })(`/api/v1/giveaways/${id}/join`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
  }
}

async function openOverlay(id: string, query = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${overlay.url}/overlay/${id}${query}`);
  return page;
}

describe('the live overlay', () => {
  it('connects, shows the giveaway and follows joins made through REST', async () => {
    const { id } = await createGiveaway({ title: 'Stream giveaway', duration: 3600 });
    const page = await openOverlay(id);
    const live = await until(
      () => overlayState(page),
      (s) => s.phase === 'live' && s.count === '0',
    );
    expect(live.title).toBe('Stream giveaway');
    await join(id, [2001, 2002, 2003]);
    await until(
      () => overlayState(page),
      (s) => s.count === '3',
    );
    // The page itself is a watcher of the giveaway.
    await until(
      () => overlayState(page),
      (s) => Number(s.watchers) >= 1,
    );
    await page.close();
  });

  it('counts down to zero, then reveals exactly the winners of the published proof', async () => {
    const { id, seed_commitment } = await createGiveaway({
      title: 'Quick draw',
      duration: 6,
      winners_count: 2,
      reserves_count: 1,
      prizes: [{ title: 'Stars', quantity: 4 }],
    });
    const page = await openOverlay(id, '?layout=full');
    await until(
      () => overlayState(page),
      (s) => s.phase === 'live',
    );
    // Record, in the page, every countdown value and every name the reel lands on: the server closes the
    // giveaway within a fraction of a second of ends_at, too briefly for polling to see "0:00" reliably.
    await page.evaluate(`(() => {
      window.__hits = [];
      window.__remaining = [];
      const countdown = document.querySelector('[data-part="countdown"] b');
      new MutationObserver(() => window.__remaining.push(countdown.dataset.remaining)).observe(countdown, {
        attributes: true,
      });
      new MutationObserver(() => {
        const hit = document.querySelector('.landed .hit');
        if (hit && window.__hits[window.__hits.length - 1] !== hit) window.__hits.push(hit);
      }).observe(document.querySelector('[data-part="draw"]'), { subtree: true, attributes: true, childList: true });
    })()`);
    await join(id, [3001, 3002, 3003, 3004, 3005]);
    await until(
      () => page.evaluate<string[]>('window.__remaining'),
      (values) => values.includes('0'),
      12_000,
    );
    const done = await until(
      () => overlayState(page),
      (s) => s.phase === 'results',
      40_000,
    );
    const proof = (await (await owner()(`/api/v1/giveaways/${id}/proof`)).json()) as {
      seed_commitment: string;
      winners: Array<{ place: number; user_id: number | string }>;
    };
    const expected = proof.winners.map((w) => ({ place: w.place, userId: Number(w.user_id) }));
    expect(done.winners.map(({ place, userId }) => ({ place, userId }))).toEqual(expected);
    expect(done.winners.map((w) => w.name)).toEqual(expected.map((w) => `@viewer${w.userId}`));
    expect(done.winners.every((w) => w.prize.startsWith('Stars'))).toBe(true);
    const hits = await page.evaluate<number[]>('window.__hits.map((h) => Number(h.dataset.userId))');
    expect(hits).toEqual(expected.map((w) => w.userId));
    expect(done.commitment).toBe(seed_commitment);
    expect(proof.seed_commitment).toBe(seed_commitment);
    expect(done.verifyUrl).toBe(`giveaways.example.com/verify/${id}`);
    expect(done.qr).toBe(true);
    await page.screenshot({ path: artifact('results-full.png'), omitBackground: true });

    // A reroll spins the reel again for that place and lands on the server's replacement.
    const res = await owner()(`/api/v1/giveaways/${id}/winners/1/reroll`, {
      method: 'POST',
      json: { reason: 'declined' },
    });
    expect(res.status).toBe(200);
    const { by_user_id } = (await res.json()) as { by_user_id: number };
    const after = await until(
      () => overlayState(page),
      (s) => s.phase === 'results' && s.winners[0]?.userId === by_user_id,
      20_000,
    );
    expect(after.winners.map((w) => [w.place, w.userId, w.name])).toEqual([
      [1, by_user_id, `@viewer${by_user_id}`],
      [2, expected[1]?.userId, `@viewer${expected[1]?.userId}`],
    ]);
    const rerollHits = await page.evaluate<number[]>('window.__hits.map((h) => Number(h.dataset.userId))');
    expect(rerollHits).toEqual([...expected.map((w) => w.userId), by_user_id]);
    await page.close();
  }, 90_000);

  it('shows "reconnecting" while the server is down, survives a reload, and catches up after a restart', async () => {
    const { id } = await createGiveaway({ title: 'Restart-proof', duration: 3600 });
    await join(id, [4001, 4002]);
    const page = await openOverlay(id, '?layout=card');
    await until(
      () => overlayState(page),
      (s) => s.count === '2' && s.connection === 'live',
    );
    await app.stop();
    const down = await until(
      () => overlayState(page),
      (s) => s.reconnecting,
    );
    expect(down.title).toBe('Restart-proof');
    // A reload while the server is down shows the last state, not an empty source.
    await page.reload();
    const reloaded = await overlayState(page);
    expect(reloaded.title).toBe('Restart-proof');
    expect(reloaded.count).toBe('2');
    await until(
      () => overlayState(page),
      (s) => s.reconnecting,
    );
    await page.screenshot({ path: artifact('reconnecting-card.png'), omitBackground: true });

    app = await startTestApp(env());
    await join(id, [4003, 4004, 4005]);
    const back = await until(
      () => overlayState(page),
      (s) => s.count === '5' && !s.reconnecting,
      20_000,
    );
    expect(back.phase).toBe('live');
    await page.close();
  }, 60_000);
});
