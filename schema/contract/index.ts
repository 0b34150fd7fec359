// The wire contract: every shape that crosses a process boundary. Imported by the server and the SDK.
export * from './errors.ts';
export * from './giveaways.ts';
export * from './operations/index.ts';
export * from './realtime.ts';
export * from './requirements.ts';
export * from './exports.ts';
export * from './draws.ts';
export * from './telegram.ts';
export * from './ton.ts';
export * from './webhooks.ts';
export * from './text.ts';
