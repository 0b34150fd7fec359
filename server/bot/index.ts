// Public surface of the bot: createTelegramFeatures (the one entry app.ts needs), the bot's pieces for tests,
// and the Bot API layer (server/bot/telegram) shared with channels and notifications.
export {
  createTelegramFeatures,
  type TelegramFeatures,
  type TelegramFeaturesOptions,
} from './telegram-features.ts';
export { ALLOWED_UPDATES, BotRunner, deriveWebhookSecret, type WebhookSettings } from './bot-runner.ts';
export { createBot, type CreateBotOptions } from './create-bot.ts';
export type { BotContext, SessionData } from './bot-context.ts';
export { callbackData, parseCallback, parseStartPayload, type CallbackAction } from './callback-data.ts';
export { giveawayCard, appLink } from './giveaway-card.ts';
export { RedisSessionStorage } from './redis-session-storage.ts';
export * from './telegram/index.ts';
