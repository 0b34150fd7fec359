// Public surface of the bot: grammY handlers (composers), the bot itself and how updates reach it.
// The Bot API client lives in server/platform/telegram; the composition (server/composition) wires these.
export { ALLOWED_UPDATES, BotRunner, deriveWebhookSecret, type WebhookSettings } from './bot-runner.ts';
export { createBot, type CreateBotOptions } from './create-bot.ts';
export { SessionData, type BotContext } from './bot-context.ts';
export { BotPrincipals } from './bot-principal.ts';
export { callbackData, parseCallback, parseStartPayload, type CallbackAction } from './callback-data.ts';
export { giveawayCard, appLink } from './giveaway-card.ts';
export { RedisSessionStorage } from './redis-session-storage.ts';
export { channelsComposer } from './channels.bot.ts';
export { claimComposer } from './claim.bot.ts';
export { myComposer } from './my.bot.ts';
export { newGiveawayComposer } from './new-giveaway.bot.ts';
export { startComposer } from './start.bot.ts';
