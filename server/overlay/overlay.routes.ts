// GET /overlay/:id (the OBS browser source), /overlay/demo, /overlay/:id/control (the creator's setup page) and
// /overlay/assets/* (hashed, immutable bundles). Pages are public: the overlay reads the giveaway as a
// read-only socket viewer, and the control page asks the API itself with the creator's credential.
import { Router, type Request } from 'express';
import { GiveawayIdParam } from '../../schema/contract/giveaways.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { Logger } from '../platform/logger.ts';
import { sendCompressed } from './compressed-response.ts';
import { PageBundleCache, type PageBundle } from './page-bundle.ts';
import { CONTROL_CSP, overlayCsp, renderPage } from './page-html.ts';

export interface OverlayRoutesOptions {
  /** The public Socket.IO URL the page connects to, for this request (see defaultRealtimeUrl). */
  realtimeUrl(req: Request): string;
  /** The server's public base URL (PUBLIC_BASE_URL): the verify link and its QR code point under it. */
  publicBaseUrl: string;
  logger: Logger;
  /** For tests: a bundle builder other than esbuild's. */
  bundles?: PageBundleCache;
}

/** PUBLIC_REALTIME_URL's default: the host the page was requested from, on the realtime port. */
export function defaultRealtimeUrl(req: Request, realtimePort: number): string {
  return `${req.protocol}://${req.hostname}:${realtimePort}`;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // The page carries the server's clock and the realtime URL: always fetch it afresh (it is small).
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function overlayRoutes(opts: OverlayRoutesOptions): Router {
  const bundles = opts.bundles ?? new PageBundleCache();
  const base = opts.publicBaseUrl.replace(/\/+$/, '');
  const router = Router();

  const load = async (): Promise<PageBundle> => {
    try {
      return await bundles.get();
    } catch (err) {
      opts.logger.error({ err }, 'Overlay page build failed');
      throw new AppError('UNAVAILABLE', 'The overlay page could not be built.', undefined, 5);
    }
  };

  const overlayPage = async (req: Request, giveawayId: string | null) => {
    const bundle = await load();
    const realtimeUrl = opts.realtimeUrl(req);
    const config = {
      giveawayId,
      realtimeUrl,
      verifyUrl: `${base}/verify/${giveawayId ?? 'demo'}`,
      serverNow: Date.now(),
      demo: giveawayId === null,
    };
    const html = renderPage(bundle.overlay, `${req.baseUrl}/assets`, config);
    return { html, csp: overlayCsp(realtimeUrl) };
  };

  router.get('/assets/:name', async (req, res) => {
    const asset = (await load()).assets.get(String(req.params.name));
    if (!asset) throw new AppError('NOT_FOUND', 'No such overlay asset.');
    const etag = `"${asset.name}"`;
    if (req.headers['if-none-match'] === etag) return void res.status(304).end();
    sendCompressed(req, res, asset, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    });
  });

  router.get('/demo', async (req, res) => {
    const page = await overlayPage(req, null);
    sendCompressed(
      req,
      res,
      { raw: Buffer.from(page.html) },
      { ...PAGE_HEADERS, 'Content-Security-Policy': page.csp },
    );
  });

  router.get('/:id/control', async (req, res) => {
    const { id } = parseInput(GiveawayIdParam, req.params, 'path');
    const bundle = await load();
    const overlayPath = `${req.baseUrl}/${id}`;
    const html = renderPage(bundle.control, `${req.baseUrl}/assets`, {
      giveawayId: id,
      overlayPath,
      overlayUrl: `${base}${overlayPath}`,
    });
    sendCompressed(
      req,
      res,
      { raw: Buffer.from(html) },
      { ...PAGE_HEADERS, 'Content-Security-Policy': CONTROL_CSP },
    );
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseInput(GiveawayIdParam, req.params, 'path');
    const page = await overlayPage(req, id);
    sendCompressed(
      req,
      res,
      { raw: Buffer.from(page.html) },
      { ...PAGE_HEADERS, 'Content-Security-Policy': page.csp },
    );
  });

  return router;
}
