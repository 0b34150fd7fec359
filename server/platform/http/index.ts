// Public surface of the HTTP plumbing.
export { createHttpApp, JSON_BODY_LIMIT } from './create-http-app.ts';
export { opsRoutes, type Readiness } from './ops-routes.ts';
export { sendError } from './error-handler.ts';
export {
  operationRouter,
  defineHandlers,
  type HandlerMap,
  type HandlerEntry,
  type OperationHandler,
  type OperationInput,
  type OperationRouterOptions,
} from './operation-router.ts';
export { buildOpenApi } from './openapi.ts';
export { servedRoutes, type ServedRoute } from './served-routes.ts';
