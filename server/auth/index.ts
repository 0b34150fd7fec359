// Public surface of auth: who is calling, and whether they may.
export { AuthService, assertNotBanned } from './auth.service.ts';
export { authenticate, principalOf } from './auth.middleware.ts';
export { authRoutes } from './auth.routes.ts';
export type { Principal } from './principal.ts';
export { socketAuth, socketPrincipal } from './auth.socket.ts';
