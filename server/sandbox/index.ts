// The local sandbox: with no bot token and outside production, demo users signed with a local secret let a
// new user see a live giveaway, its overlay and its verifiable draw without Telegram.
export { loadSandboxSecret } from './sandbox-secret.ts';
export { sandboxRoutes, type SandboxRoutesOptions } from './sandbox.routes.ts';
export { DEMO_USERS, JOINER_ID_BASE, signDemoInitData, type DemoUser } from './demo-users.ts';
