// GET /verify/:id (api role): a page that re-runs a giveaway's draw in the browser from its public proof, plus
// its script and stylesheet. Strict CSP: the page may only talk to this origin, so verification never leaves it.
import { Router, type Response } from 'express';
import { DrawGiveawayParams } from '../../schema/contract/draws.ts';
import { AppError } from '../platform/errors.ts';
import { parseInput } from '../platform/http/validate.ts';
import type { Logger } from '../platform/logger.ts';
import { buildPageAssets, type PageAssets } from './page-assets.ts';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface VerifyPageOptions {
  logger: Logger;
}

/** Mount under /verify. Starts bundling at once so the first visitor does not wait for esbuild. */
export function verifyPageRoutes(opts: VerifyPageOptions): Router {
  const assets = buildPageAssets();
  assets.catch((err: unknown) =>
    opts.logger.error({ err }, 'Verify page could not be built; it answers 503'),
  );
  const ready = async (): Promise<PageAssets> => {
    try {
      return await assets;
    } catch {
      throw new AppError('UNAVAILABLE', 'The verify page is not available on this server.');
    }
  };
  const send = (res: Response, type: string, body: string, version: string, maxAge: number) => {
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', `public, max-age=${maxAge}`);
    res.setHeader('ETag', `"${version}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(body);
  };

  const router = Router();
  router.get('/assets/verify.js', async (_req, res) => {
    const a = await ready();
    send(res, 'text/javascript; charset=utf-8', a.js, a.version, 3600);
  });
  router.get('/assets/verify.css', async (_req, res) => {
    const a = await ready();
    send(res, 'text/css; charset=utf-8', a.css, a.version, 3600);
  });
  router.get('/:id', async (req, res) => {
    parseInput(DrawGiveawayParams, req.params, 'path');
    const a = await ready();
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    // The mount path, so assets resolve whatever the page URL looks like (trailing slash, proxy prefix).
    send(
      res,
      'text/html; charset=utf-8',
      a.html.replaceAll('{{ASSETS}}', `${req.baseUrl}/assets`),
      a.version,
      60,
    );
  });
  return router;
}
