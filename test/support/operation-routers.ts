// Routers for tests that serve only some capabilities: the production operation router (validation, auth
// kinds) over the given handlers, split by prefix; rate limits pass through unless given.
import type { RequestHandler, Router } from 'express';
import { OPERATION_ROUTES, type OperationId } from '../../schema/contract/index.ts';
import { operationRouter, type HandlerMap } from '../../server/platform/http/index.ts';

const passThrough: RequestHandler = (_req, _res, next) => next();

export function operationRouters<Ids extends OperationId>(
  handlers: HandlerMap<Ids>,
  opts: { authenticate?: RequestHandler } = {},
): { v1: Router; public: Router } {
  const under = (prefix: string) =>
    operationRouter({
      prefix,
      handlers: Object.fromEntries(
        Object.entries(handlers).filter(([id]) =>
          OPERATION_ROUTES[id as OperationId].path.startsWith(`${prefix}/`),
        ),
      ) as HandlerMap<OperationId>,
      authenticate: opts.authenticate ?? passThrough,
      rateLimits: { join: passThrough, create: passThrough, probe: passThrough },
    });
  return { v1: under('/api/v1'), public: under('/api/public') };
}
