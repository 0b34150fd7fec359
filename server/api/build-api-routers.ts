// The REST surface of the api role, from schema/contract's operation table: /api/v1 (authenticated), /api/public
// (no credential) and /api/docs (the OpenAPI document of exactly what is served). The handler maps cover every
// operation of the table: a missing or extra one is a type error here.
import { Router, type RequestHandler } from 'express';
import type { OperationId, RateLimitPolicy, TelegramOperationId } from '../../schema/contract/index.ts';
import { OPERATION_ROUTES } from '../../schema/contract/index.ts';
import { buildOpenApi, operationRouter, type HandlerMap } from '../platform/http/index.ts';

export type CoreOperationId = Exclude<OperationId, TelegramOperationId>;

export interface ApiRoutersOptions<M extends HandlerMap<CoreOperationId>> {
  /** Every operation but the Telegram ones, e.g. `{ ...authHandlers(auth), ...drawsHandlers(draws), … }`. */
  handlers: M & Record<Exclude<keyof M, CoreOperationId>, never>;
  /** The Telegram operations, only with a bot token; without them those routes are not served nor documented. */
  telegramHandlers?: HandlerMap<TelegramOperationId> | undefined;
  /** Resolves the caller for auth kind `user` (auth's `authenticate(authService)`). */
  authenticate: RequestHandler;
  /** One middleware per policy of the table (platform/rate-limit's `rateLimits.<policy>.middleware`). */
  rateLimits: Record<RateLimitPolicy, RequestHandler>;
  /** Runs first on /api/v1 and /api/public, for every request (e.g. 503 until migrations ran). */
  gate?: RequestHandler;
}

export interface ApiRouters {
  v1: Router;
  public: Router;
  docs: Router;
  /** Mount points, in order: `for (const r of routers.mounts) app.use(r.path, r.router)`. */
  mounts: Array<{ path: string; router: Router }>;
}

const V1 = '/api/v1';
const PUBLIC = '/api/public';

export function buildApiRouters<M extends HandlerMap<CoreOperationId>>(
  opts: ApiRoutersOptions<M>,
): ApiRouters {
  const handlers: Partial<HandlerMap<OperationId>> = { ...opts.handlers, ...opts.telegramHandlers };
  const under = (prefix: string) =>
    Object.fromEntries(
      Object.entries(handlers).filter(([id]) =>
        OPERATION_ROUTES[id as OperationId].path.startsWith(`${prefix}/`),
      ),
    ) as HandlerMap<OperationId>;
  const build = (prefix: string) => {
    const router = Router();
    if (opts.gate) router.use(opts.gate);
    router.use(
      operationRouter({
        prefix,
        handlers: under(prefix),
        authenticate: opts.authenticate,
        rateLimits: opts.rateLimits,
      }),
    );
    return router;
  };
  const served = Object.keys(handlers) as OperationId[];
  let doc: object | undefined;
  // Built on first request: zod's JSON Schema conversion is not free and most nodes are never asked.
  const docs = Router().get('/', (_req, res) => {
    doc ??= buildOpenApi(served, { version: '1' });
    res.json(doc);
  });
  const v1 = build(V1);
  const pub = build(PUBLIC);
  return {
    v1,
    public: pub,
    docs,
    mounts: [
      { path: V1, router: v1 },
      { path: PUBLIC, router: pub },
      { path: '/api/docs', router: docs },
    ],
  };
}
