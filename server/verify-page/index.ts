// Public surface of the verify page (mounted by the api role under /verify).
export { verifyPageRoutes, type VerifyPageOptions } from './verify-page.routes.ts';
