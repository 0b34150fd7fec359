// The sandbox in headless Chromium, as a new user walks it: sign in as a demo user, create a giveaway, watch
// the overlay's count move with simulated joiners, see the draw, and verify its proof on the verify page.
// Everything the page does goes through the public API, the sockets and the public pages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { launchBrowser, overlayState } from '../overlay/harness.ts';

let db: TestDatabase;
let app: TestApp;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'sandbox-'));
  // No BOT_TOKEN and SANDBOX left at its default (auto): what `npm start` does on a fresh clone.
  app = await startTestApp({ DATABASE_URL: db.url, DATA_DIR: dataDir, SANDBOX: 'auto' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the sandbox', () => {
  it('walks from sign-in to a verified draw with a live overlay', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${app.url}/sandbox`);
    await page.waitForSelector('body[data-ready="true"]');

    await page.selectOption('#user', '1001');
    await page.click('#sign-in');
    await page.waitForSelector('#who[data-user-id="1001"]');

    await page.fill('#duration', '15');
    await page.fill('#winners', '2');
    await page.click('#create');
    await page.waitForSelector('#created[data-giveaway-id]');
    const id = await page.getAttribute('#created', 'data-giveaway-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const overlayFrame = () => {
      const frame = page.frames().find((f) => f.url().includes(`/overlay/${id}`));
      if (!frame) throw new Error('overlay frame not loaded yet');
      return frame;
    };
    await expect
      .poll(async () => (await overlayState(overlayFrame()).catch(() => null))?.count, {
        timeout: 15_000,
      })
      .toBe('0');

    await page.selectOption('#rate', '4');
    await page.click('#start-joiners');
    // The overlay is a real Socket.IO viewer: its count follows the REST joins of the simulated users.
    await expect
      .poll(async () => Number((await overlayState(overlayFrame())).count), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    if (process.env.SANDBOX_SCREENSHOT) await page.screenshot({ path: process.env.SANDBOX_SCREENSHOT });

    // The scheduler closes it at ends_at and draws; the page shows the winners and the proof.
    await page.waitForSelector('body[data-drawn="true"]', { timeout: 40_000 });
    expect(await page.textContent('#status')).toBe('completed');
    const winners = await page.$$eval('#winners-list li', (lis) =>
      lis.map((li) => li.getAttribute('data-user-id')),
    );
    expect(winners).toHaveLength(2);
    expect(await page.textContent('#proof')).toMatch(/seed commitment [0-9a-f]{64}/);
    const joined = Number(await page.textContent('#joined'));
    expect(joined).toBeGreaterThanOrEqual(3);

    const verifyHref = await page.getAttribute('#verify-link', 'href');
    const verify = await browser.newPage();
    await verify.goto(`${app.url}${verifyHref}`);
    await verify.waitForSelector('#verdict[data-state="ok"]', { timeout: 30_000 });
    expect(await verify.textContent('#verdict')).toMatch(/Verified: \d+ entrants/);
    await verify.close();
    await page.close();
  }, 90_000);
});
