// Public surface of the composition: createServer (the one root), and its steps for tools that need one.
export { createServer, type Server, type ServerOptions } from './create-server.ts';
export {
  createBaseInfrastructure,
  openInfrastructure,
  closeInfrastructure,
  type Infrastructure,
  type InfrastructureOptions,
} from './infrastructure.ts';
export { buildServices, type Services, type ServicesTuning } from './services.ts';
export type { TelegramServices, TelegramTuning } from './telegram-services.ts';
export type { TelegramBot } from './telegram-bot.ts';
