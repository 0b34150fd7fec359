// /sandbox: the page, and the one thing the page cannot do through the public API, signing init-data for
// demo users. Everything else (create, join, watch, proof) the page does through /api/v1, the sockets and
// the overlay and verify pages, exactly as a Mini App, an OBS source or an SDK client would.
import { readFileSync } from 'node:fs';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { parseInput } from '../platform/http/validate.ts';
import { DEMO_USERS, JOINER_ID_BASE, signDemoInitData } from './demo-users.ts';

export interface SandboxRoutesOptions {
  /** The init-data signing secret (loadSandboxSecret). */
  secret: string;
  /** The Socket.IO URL clients of this request should use (shown in the SDK example command). */
  realtimeUrl(req: Request): string;
}

const PAGE_DIR = new URL('./page/', import.meta.url);
const MAX_BATCH = 100;

const SignBody = z.strictObject({
  users: z
    .array(
      z.strictObject({
        id: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
        username: z.string().regex(/^[A-Za-z0-9_]{1,32}$/),
        first_name: z.string().min(1).max(64),
      }),
    )
    .min(1)
    .max(MAX_BATCH),
});

export function sandboxRoutes(opts: SandboxRoutesOptions): Router {
  const files = {
    html: readFileSync(new URL('sandbox.html', PAGE_DIR), 'utf8'),
    js: readFileSync(new URL('sandbox.js', PAGE_DIR), 'utf8'),
    css: readFileSync(new URL('sandbox.css', PAGE_DIR), 'utf8'),
  };
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('X-Sandbox', 'on');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.get('/', (_req, res) => {
    res.type('html').send(files.html);
  });
  router.get('/sandbox.js', (_req, res) => {
    res.type('text/javascript').send(files.js);
  });
  router.get('/sandbox.css', (_req, res) => {
    res.type('text/css').send(files.css);
  });
  router.get('/api/info', (req, res) => {
    res.json({
      sandbox: true,
      demo_users: DEMO_USERS,
      joiner_id_base: JOINER_ID_BASE,
      realtime_url: opts.realtimeUrl(req),
    });
  });
  router.post('/api/sign', (req, res) => {
    const { users } = parseInput(SignBody, req.body, 'body');
    const now = new Date();
    res.json({ init_data: users.map((u) => signDemoInitData(u, opts.secret, now)) });
  });
  return router;
}
