// The overlay page itself: every layout renders something (screenshots kept under artifacts/), it weighs at
// most 150 KB gzipped and talks only to our server, demo mode runs a whole draw, the control page opens for
// the creator only, and the HTTP side sends compressed, cacheable assets and rejects bad ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createBody } from '../support/giveaway-fixtures.ts';
import { asUser, initDataFor, TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  artifact,
  launchBrowser,
  opaqueShare,
  overlayState,
  startOverlayServer,
  until,
  type OverlayServer,
} from './harness.ts';

let db: TestDatabase;
let app: TestApp;
let overlay: OverlayServer;
let browser: Browser;
let giveawayId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT: 'off',
    DEBUG: 'true',
  });
  overlay = await startOverlayServer({ realtimePort: () => app.app.realtimePort, apiUrl: () => app.url });
  browser = await launchBrowser();
  const created = await asUser(app.url, { id: 1, username: 'streamer' })('/api/v1/giveaways', {
    method: 'POST',
    json: createBody({
      title: 'Friday stream giveaway',
      duration: 3600,
      prizes: [
        { title: 'Telegram Premium', quantity: 1 },
        { title: 'Stars', quantity: 500 },
      ],
    }),
  });
  giveawayId = ((await created.json()) as { id: string }).id;
  for (const id of [11, 12, 13, 14]) {
    await asUser(app.url, { id, username: `fan${id}` })(`/api/v1/giveaways/${giveawayId}/join`, {
      method: 'POST',
    });
  }
});
afterAll(async () => {
  await browser?.close();
  await overlay?.close();
  await app?.stop();
  await db?.drop();
});

describe('the overlay page', () => {
  const shots = [
    { name: 'card', query: '', size: [1920, 1080], min: 0.04, max: 0.3 },
    {
      name: 'card-light-720p',
      query: '?theme=light&accent=ff3366&pos=tl',
      size: [1280, 720],
      min: 0.04,
      max: 0.3,
    },
    { name: 'bar', query: '?layout=bar', size: [1920, 1080], min: 0.03, max: 0.25 },
    { name: 'full', query: '?layout=full&scale=1.1', size: [1920, 1080], min: 0.25, max: 0.9 },
  ] as const;
  for (const shot of shots) {
    it(`renders the ${shot.name} layout on a transparent background`, async () => {
      const [width, height] = shot.size;
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(`${overlay.url}/overlay/${giveawayId}${shot.query}`);
      const state = await until(
        () => overlayState(page),
        (s) => s.phase === 'live' && s.count === '4',
      );
      expect(state.title).toBe('Friday stream giveaway');
      expect(await page.textContent('[data-part="prizes"]')).toContain('Telegram Premium');
      // The time left, not a fixed 59:xx: the tests after this one in a shuffled run start later.
      const left = async () =>
        Number(
          (
            await db.pool.query(
              'SELECT extract(epoch FROM ends_at - now()) AS s FROM giveaways WHERE id = $1',
              [giveawayId],
            )
          ).rows[0].s,
        );
      const before = await left();
      const shown = (await page.textContent('[data-part="countdown"] b')) ?? '';
      const after = await left();
      expect(shown).toMatch(/^(\d\d?:\d\d|1:00:00)$/);
      const [m, sec] = shown === '1:00:00' ? [60, 0] : shown.split(':').map(Number);
      const seconds = (m ?? 0) * 60 + (sec ?? 0);
      expect(seconds).toBeGreaterThanOrEqual(Math.floor(after) - 2);
      expect(seconds).toBeLessThanOrEqual(Math.ceil(before) + 1);
      // No scrollbars at any size: nothing overflows the browser source.
      const overflow = await page.evaluate<boolean>(
        'document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight',
      );
      expect(overflow).toBe(false);
      const png = await page.screenshot({ path: artifact(`layout-${shot.name}.png`), omitBackground: true });
      const share = await opaqueShare(browser, png);
      expect(share).toBeGreaterThan(shot.min);
      expect(share).toBeLessThan(shot.max);
      await page.close();
    });
  }

  it('loads at most 150 KB gzipped, all of it from our server', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('websocket', (ws) => requests.push(ws.url()));
    await page.goto(`${overlay.url}/overlay/${giveawayId}?layout=full`);
    await until(
      () => overlayState(page),
      (s) => s.phase === 'live' && s.count === '4',
    );
    const hosts = new Set(requests.map((u) => new URL(u).host));
    expect([...hosts].sort()).toEqual(
      [`127.0.0.1:${overlay.port}`, `127.0.0.1:${app.app.realtimePort}`].sort(),
    );
    const loaded = requests.filter((u) => u.startsWith(overlay.url));
    let gzip = 0;
    for (const url of loaded) {
      const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      await res.arrayBuffer();
      gzip += Number(res.headers.get('content-length'));
    }
    expect(loaded.length).toBe(3); // the page, its script, its stylesheet
    expect(gzip).toBeGreaterThan(10_000);
    expect(gzip).toBeLessThanOrEqual(150 * 1024);
    await page.close();
  });

  it('runs a simulated giveaway with a draw in demo mode, with no giveaway and no socket', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${overlay.url}/overlay/demo?demo_seconds=5`);
    const live = await until(
      () => overlayState(page),
      (s) => s.phase === 'live' && Number(s.count) > 0,
    );
    expect(live.demo).toBe(true);
    await page.screenshot({ path: artifact('demo-live-card.png'), omitBackground: true });
    await until(
      () => overlayState(page),
      (s) => s.phase === 'drawing' && s.landed,
      20_000,
    );
    await page.screenshot({ path: artifact('demo-reveal-card.png'), omitBackground: true });
    const done = await until(
      () => overlayState(page),
      (s) => s.phase === 'results',
      30_000,
    );
    expect(done.winners.map((w) => w.place)).toEqual([1, 2, 3]);
    expect(done.winners.every((w) => w.name.startsWith('@'))).toBe(true);
    expect(done.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(done.qr).toBe(true);
    expect(sockets).toEqual([]);
    await page.screenshot({ path: artifact('demo-results-card.png'), omitBackground: true });
    await page.close();
  }, 45_000);

  it('opens the control page for the creator only, then builds the overlay URL with a preview', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(`${overlay.url}/overlay/${giveawayId}/control`);
    await page.fill('#credential', initDataFor({ id: 12, username: 'fan12' }));
    await page.click('#signin button');
    await page.waitForSelector('#message:not([hidden])');
    expect(await page.textContent('#message')).toContain('creator');
    expect(await page.isHidden('#builder')).toBe(true);

    await page.fill('#credential', initDataFor({ id: 1, username: 'streamer' }));
    await page.click('#signin button');
    await page.waitForSelector('#builder:not([hidden])');
    expect(await page.textContent('#giveaway-title')).toBe('Friday stream giveaway');
    await page.selectOption('select[name="layout"]', 'bar');
    await page.check('input[name="hide"][value="watchers"]');
    const url = await page.inputValue('#url');
    expect(url).toBe(`https://giveaways.example.com/overlay/${giveawayId}?layout=bar&hide=watchers`);
    // The page's CSP forbids eval, so poll from here rather than with waitForFunction.
    await until(
      () => page.getAttribute('#preview', 'src'),
      (src) => src === `/overlay/${giveawayId}?layout=bar&hide=watchers`,
    );
    const preview = await until(
      () => Promise.resolve(page.frames().find((f) => f.url().includes('layout=bar'))),
      (f) => f !== undefined,
    );
    if (!preview) throw new Error('no preview frame');
    await until(
      () => overlayState(preview),
      (s) => s.phase === 'live' && s.count === '4',
    );
    await page.screenshot({ path: artifact('control-page.png') });
    await page.close();
  });

  it('serves compressed, cacheable assets and rejects malformed ids', async () => {
    const res = await fetch(`${overlay.url}/overlay/${giveawayId}`, { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${app.app.realtimePort}`);
    const html = await res.text();
    const script = /src="([^"]+\.js)"/.exec(html)?.[1] ?? '';
    expect(script).toMatch(/^\/overlay\/assets\/overlay-[A-Z0-9]+\.js$/);
    const asset = await fetch(`${overlay.url}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(asset.headers.get('content-encoding')).toBe('br');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const etag = asset.headers.get('etag') ?? '';
    await asset.arrayBuffer();
    const again = await fetch(`${overlay.url}${script}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    expect((await fetch(`${overlay.url}/overlay/not-a-uuid`)).status).toBe(400);
    expect((await fetch(`${overlay.url}/overlay/assets/nope.js`)).status).toBe(404);
    // The injected config cannot break out of its script tag.
    expect(html).not.toMatch(/<\/script>[^<]*<\/script>\s*<script id="overlay-config"/);
  });
});
