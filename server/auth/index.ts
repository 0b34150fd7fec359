// Public surface of auth: who is calling, and whether they may.
export { AuthService, assertNotBanned, type Standing } from './auth.service.ts';
export { authenticate, principalOf } from './auth.middleware.ts';
export { authHandlers, type AuthOperationId } from './auth.routes.ts';
export type { Principal } from './principal.ts';
export { socketAuth, socketPrincipal } from './auth.socket.ts';
export { SocketSessions, type SocketSessionsOptions } from './socket-sessions.ts';
