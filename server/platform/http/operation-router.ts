// Builds Express routers from schema/contract's operation table and a handler map keyed by operation id.
// For each operation, in table order: authenticate (auth kind `user`), its rate limit, params and query
// validated (a bad id is refused before a body is read), the handler's own middleware (multer uploads), the
// JSON body validated, then the handler, which writes the response itself (JSON, CSV, NDJSON or a stream).
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import {
  OPERATION_ROUTES,
  OPERATION_SCHEMAS,
  type OperationId,
  type OperationSchemas,
  type RateLimitPolicy,
} from '../../../schema/contract/index.ts';
import { parseInput } from './validate.ts';

type Schemas = typeof OPERATION_SCHEMAS;
type Parsed<Id extends OperationId, K extends 'params' | 'query' | 'body'> = Schemas[Id] extends {
  [P in K]: infer S extends z.ZodType;
}
  ? Schemas[Id] extends { bodyKind: 'upload' }
    ? K extends 'body'
      ? undefined
      : z.output<S>
    : z.output<S>
  : undefined;

/** What the handler receives, parsed by the operation's schemas (an upload's body is read by the handler). */
export interface OperationInput<Id extends OperationId> {
  params: Parsed<Id, 'params'>;
  query: Parsed<Id, 'query'>;
  body: Parsed<Id, 'body'>;
}

export type OperationHandler<Id extends OperationId> = (
  input: OperationInput<Id>,
  req: Request,
  res: Response,
) => void | Promise<void>;

/** A handler, or one with middleware that runs after params/query validation and before the body check. */
export type HandlerEntry<Id extends OperationId> =
  OperationHandler<Id> | { use: readonly RequestHandler[]; handle: OperationHandler<Id> };

export type HandlerMap<Ids extends OperationId> = { [K in Ids]: HandlerEntry<K> };

/**
 * Checks a capability's handler map: every operation in `Ids` has a handler and there is none for another id.
 * Usage: `defineHandlers<'getMe' | 'listApiKeys'>()({ getMe: …, listApiKeys: … })`.
 */
export function defineHandlers<Ids extends OperationId>() {
  return <M extends HandlerMap<Ids>>(map: M & Record<Exclude<keyof M, Ids>, never>): HandlerMap<Ids> => map;
}

type LooseHandler = (input: unknown, req: Request, res: Response) => void | Promise<void>;

export interface OperationRouterOptions<Ids extends OperationId> {
  /** /api/v1 or /api/public: every handled operation must live under it; paths are mounted relative to it. */
  prefix: string;
  /** The operations mounted are those handled here, in the table's order (static segments before `/:id`). */
  handlers: HandlerMap<Ids>;
  /** Sets the caller (req.principal) for auth kind `user`; refuses missing or bad credentials. */
  authenticate: RequestHandler;
  /** One middleware per rate-limit policy, consuming its budgets (mounted after authenticate). */
  rateLimits: Record<RateLimitPolicy, RequestHandler>;
}

export function operationRouter<Ids extends OperationId>(opts: OperationRouterOptions<Ids>): Router {
  const router = Router();
  const handled = (Object.keys(OPERATION_ROUTES) as OperationId[]).filter((id): id is Ids =>
    Object.hasOwn(opts.handlers, id),
  );
  for (const id of handled) {
    const route = OPERATION_ROUTES[id];
    if (!route.path.startsWith(`${opts.prefix}/`)) {
      throw new Error(`Operation ${id} (${route.path}) is not under ${opts.prefix}`);
    }
    const schemas: OperationSchemas = OPERATION_SCHEMAS[id];
    // Each entry takes its own operation's input; here they are called alike, with what the schemas parsed.
    const entry = opts.handlers[id] as unknown as
      LooseHandler | { use: readonly RequestHandler[]; handle: LooseHandler };
    const handle = typeof entry === 'function' ? entry : entry.handle;
    const use = typeof entry === 'function' ? [] : entry.use;
    const chain: RequestHandler[] = [];
    if (route.auth === 'user') chain.push(opts.authenticate);
    if ('rateLimit' in route) chain.push(opts.rateLimits[route.rateLimit]);
    const input = new WeakMap<Request, Record<'params' | 'query' | 'body', unknown>>();
    chain.push((req, _res, next) => {
      input.set(req, {
        params: schemas.params ? parseInput(schemas.params, req.params, 'path') : undefined,
        query: schemas.query ? parseInput(schemas.query, req.query, 'query') : undefined,
        body: undefined,
      });
      next();
    });
    chain.push(...use);
    chain.push(async (req, res) => {
      const parsed = input.get(req);
      if (!parsed) throw new Error(`Operation ${id}: input missing`);
      if (schemas.body && schemas.bodyKind !== 'upload') {
        const body: unknown = req.body;
        parsed.body = parseInput(schemas.body, schemas.bodyOptional ? (body ?? {}) : body, 'body');
      }
      await handle(parsed, req, res);
    });
    router[route.method](route.path.slice(opts.prefix.length), ...chain);
  }
  return router;
}
