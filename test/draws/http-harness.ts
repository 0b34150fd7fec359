// An api node for the draws tests, built from the production parts (createHttpApp, auth, the draws routers,
// the verify page) the way server/app.ts mounts them, plus a fake drand relay to point DrandRelays at.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import type pg from 'pg';
import { AuthService, authenticate } from '../../server/auth/index.ts';
import { drawsHandlers, publicDrawsHandlers, type Draws } from '../../server/draws/index.ts';
import { createMetrics } from '../../server/platform/metrics.ts';
import { createHttpApp } from '../../server/platform/http/index.ts';
import { serve } from '../../server/platform/http/serve.ts';
import { verifyPageRoutes } from '../../server/verify-page/index.ts';
import { operationRouters } from '../support/operation-routers.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';
import { silentLogger } from './support.ts';
import { compileTrust } from '../../server/platform/client-ip.ts';

export interface DrawsHttp {
  url: string;
  close(): Promise<void>;
}

export async function startDrawsHttp(
  pool: pg.Pool,
  draws: Draws,
  opts: { adminIds?: number[]; verifyPage?: boolean } = {},
): Promise<DrawsHttp> {
  const auth = new AuthService({
    pool,
    botToken: TEST_BOT_TOKEN,
    initDataTtlSec: 86_400,
    adminIds: opts.adminIds ?? [900],
  });
  const api = operationRouters(
    { ...drawsHandlers(draws), ...publicDrawsHandlers(draws) },
    { authenticate: authenticate(auth) },
  );
  const routers = [
    { path: '/api/v1', router: api.v1 },
    { path: '/api/public', router: api.public },
  ];
  if (opts.verifyPage) routers.push({ path: '/verify', router: verifyPageRoutes({ logger: silentLogger }) });
  const app = createHttpApp({
    logger: silentLogger,
    metrics: createMetrics(),
    origin: '*',
    trustProxy: compileTrust({ hops: 0 }),
    ops: Router(),
    routers,
  });
  const running = await serve(app, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${running.port}`, close: () => running.close(1_000) };
}

/** The real round of the spec (§3), as a drand relay serves it. */
export const REAL_ROUND = {
  round: 657413,
  randomness: 'fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587',
  signature:
    'b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b',
};

export type RelayAnswer = { status: number; body?: unknown } | null;

export interface FakeRelay {
  url: string;
  /** Every path asked for, in order. */
  requests: string[];
  /** What to answer for a round; null → 404. Replace at will during a test. */
  answer: (round: number) => RelayAnswer;
  close(): Promise<void>;
}

/** An HTTP server that speaks drand's `GET /{chain_hash}/public/{round}`, answering what the test says. */
export async function startFakeRelay(answer: FakeRelay['answer']): Promise<FakeRelay> {
  const relay: FakeRelay = { url: '', requests: [], answer, close: () => Promise.resolve() };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    relay.requests.push(req.url ?? '');
    const m = /^\/([0-9a-f]{64})\/public\/(\d+)$/.exec(req.url ?? '');
    const reply = m ? relay.answer(Number(m[2])) : null;
    res.statusCode = reply?.status ?? 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(reply?.body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relay.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return relay;
}
