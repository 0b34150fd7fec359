// Public surface of the HTTP plumbing.
export { createHttpApp, JSON_BODY_LIMIT } from './create-http-app.ts';
export { opsRoutes, type Readiness } from './ops-routes.ts';
export { sendError } from './error-handler.ts';
