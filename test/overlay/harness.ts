// Browser-test plumbing for the overlay: the overlay router on its own HTTP app (the production HTTP app
// factory, pointed at the real app's realtime port), an /api pass-through to the real app for the control
// page, headless Chromium, and pixel counting on screenshots.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createLogger, createMetrics } from '../../server/platform/index.ts';
import { createHttpApp } from '../../server/platform/http/index.ts';
import { overlayRoutes } from '../../server/overlay/index.ts';
import { compileTrust } from '../../server/platform/client-ip.ts';

export interface OverlayServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startOverlayServer(opts: {
  realtimePort: () => number;
  apiUrl?: () => string;
  publicBaseUrl?: string;
}): Promise<OverlayServer> {
  const logger = createLogger('silent');
  const api = Router().use(async (req, res) => {
    if (!opts.apiUrl) return void res.status(404).end();
    const headers: Record<string, string> = {};
    for (const name of ['x-telegram-init-data', 'authorization', 'content-type']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${opts.apiUrl()}${req.originalUrl}`, { method: req.method, headers });
    res
      .status(answer.status)
      .type('application/json')
      .send(await answer.text());
  });
  const app = createHttpApp({
    logger,
    metrics: createMetrics(),
    origin: '*',
    trustProxy: compileTrust({ hops: 0 }),
    ops: Router(),
    routers: [
      {
        path: '/overlay',
        router: overlayRoutes({
          realtimeUrl: () => `http://127.0.0.1:${opts.realtimePort()}`,
          publicBaseUrl: opts.publicBaseUrl ?? 'https://giveaways.example.com',
          logger,
        }),
      },
      { path: '/api', router: api },
    ],
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

// Browser-side code is passed as strings: test files typecheck without the DOM library.

/** Share of pixels that are not fully transparent in a PNG (decoded by the browser's own canvas). */
export async function opaqueShare(browser: Browser, png: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate<number>(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      let opaque = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) opaque++;
      return opaque / (img.width * img.height);
    })()`);
  } finally {
    await page.close();
  }
}

export interface OverlayState {
  phase: string;
  connection: string;
  title: string;
  count: string;
  watchers: string;
  remaining: string;
  reconnecting: boolean;
  commitment: string;
  verifyUrl: string;
  qr: boolean;
  demo: boolean;
  /** The reel stopped on a winner (the reveal is under way). */
  landed: boolean;
  winners: Array<{ place: number; userId: number; name: string; prize: string }>;
}

/** The overlay's state as a test reads it. */
export const overlayState = async (page: Page | Frame): Promise<OverlayState> =>
  await page.evaluate<OverlayState>(`(() => {
    const q = (s) => document.querySelector(s);
    return {
      phase: q('#overlay').dataset.phase,
      connection: q('#overlay').dataset.connection,
      title: q('[data-part="title"]').textContent,
      count: q('[data-part="count"] b').dataset.value ?? '',
      watchers: q('[data-part="watchers"] b').dataset.value ?? '',
      remaining: q('[data-part="countdown"] b').dataset.remaining ?? '',
      reconnecting: q('[data-part="connection"]').hidden === false,
      commitment: q('[data-part="proof"] code').dataset.full ?? '',
      verifyUrl: q('.verify-url').textContent,
      qr: Boolean(q('[data-part="qr"] svg path')),
      demo: q('.demo-tag').hidden === false,
      landed: Boolean(q('.landed .hit')),
      winners: [...document.querySelectorAll('.winners [data-place]')].map((li) => ({
        place: Number(li.dataset.place),
        userId: Number(li.dataset.userId),
        name: li.querySelector('.w-name').textContent,
        prize: li.querySelector('.w-prize').textContent,
      })),
    };
  })()`);

/** Polls `read` until `check` holds (the page updates on its own schedule), and returns that value. */
export async function until<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  let last: T | undefined;
  let value: T | undefined;
  await expect
    .poll(
      async () => {
        last = await read();
        if (!check(last)) return false;
        value = last;
        return true;
      },
      { timeout: timeoutMs },
    )
    .toBe(true)
    .catch((err: unknown) => {
      throw new Error(`timed out; last value: ${JSON.stringify(last)}`, { cause: err });
    });
  return value as T;
}

export const artifact = (name: string) => new URL(`./artifacts/${name}`, import.meta.url).pathname;
