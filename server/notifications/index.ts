// Public surface of notifications: durable Telegram side effects (winner and creator DMs, results posts)
// with a per-recipient ledger, the share message, and the HTML text helpers the bot uses too.
export {
  NotificationsService,
  type DeliveryOutcome,
  type NotificationsServiceDeps,
  type NotifyTelegram,
} from './notifications.service.ts';
export { registerNotificationWorkers, type NotificationWorkersDeps } from './notification-jobs.ts';
export { ShareService, type ShareServiceDeps } from './share.service.ts';
export { notificationsHandlers, type NotificationsOperationId } from './notifications.routes.ts';
export { clip, escapeHtml, formatUtc, ordinal, prizeLabel, timeLeft } from './format.ts';
export * as templates from './message-templates.ts';
