// Public surface of channels: tracking the chats the bot is in, the creator's channel list, the bot
// presence probe, the avatar proxy, and the subscription/boost requirement checkers.
export { ChannelsService, type BotMembershipEvent, type ChannelsServiceDeps } from './channels.service.ts';
export { ChannelProbe } from './channel-probe.ts';
export { BoostSet } from './boost-set.ts';
export { SubscriptionChecker } from './subscription-checker.ts';
export { BoostChecker } from './boost-checker.ts';
export { channelsHandlers, publicChannelsHandlers, type ChannelsOperationId } from './channels.routes.ts';
export { avatarUrl, boostUrl, channelUrl } from './channel-links.ts';
export type { ChannelsTelegram, JobEnqueuer } from './telegram-port.ts';
export type { BotStatus } from './channels.queries.ts';
