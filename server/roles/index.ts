// Public surface of the roles: one assembler per role, each a Part built from the services, and the
// lifecycle that starts them in dependency order and stops them in reverse.
export { apiRole, type ApiRole } from './api.ts';
export { apiRouters, type ApiRouters } from './api-routes.ts';
export { botRole } from './bot.ts';
export type {
  BaseInfrastructure,
  Infrastructure,
  Services,
  TelegramBot,
  TelegramCore,
  TelegramServices,
} from './services.ts';
export { Lifecycle, type Part } from './lifecycle.ts';
export { realtimeGateway, type RealtimeGateway } from './realtime-gateway.ts';
export { relayRole } from './relay.ts';
export { MigrationsPending, ensureSchemaCurrent, jobQueuePart, schemaGate } from './schema-gate.ts';
export {
  changeFeedPart,
  claimDeadlinePart,
  drawSchedulerPart,
  notificationWorkers,
  webhookWorkers,
} from './worker.ts';
