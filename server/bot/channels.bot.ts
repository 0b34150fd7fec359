// Updates about the bot's chats: my_chat_member (added to or removed from a channel or group, or blocked
// in private) and channel boosts (chat_boost / removed_chat_boost) that feed the boost set.
import { Composer } from 'grammy';
import type { ChatBoostSource } from 'grammy/types';
import type { BoostSet, ChannelsService } from '../channels/index.ts';
import type { BotContext } from './bot-context.ts';

export interface ChannelsBotDeps {
  channels: Pick<ChannelsService, 'onBotMembership' | 'onPrivateChatStatus'>;
  boosts: Pick<BoostSet, 'add' | 'remove'>;
}

export function channelsComposer(deps: ChannelsBotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    const status = update.new_chat_member.status;
    if (update.chat.type === 'private') {
      await deps.channels.onPrivateChatStatus(update.chat.id, status);
      return;
    }
    await deps.channels.onBotMembership({
      chat: {
        id: update.chat.id,
        type: update.chat.type,
        title: update.chat.title,
        ...('username' in update.chat && update.chat.username ? { username: update.chat.username } : {}),
      },
      actorId: update.from.id,
      status,
    });
  });

  composer.on('chat_boost', async (ctx) => {
    const { chat, boost } = ctx.chatBoost;
    const userId = boosterOf(boost.source);
    if (userId !== undefined) await deps.boosts.add(chat.id, userId, boost.expiration_date);
  });

  composer.on('removed_chat_boost', async (ctx) => {
    const { chat, source } = ctx.removedChatBoost;
    const userId = boosterOf(source);
    // The user may hold other boosts; a later check asks Telegram when the set says nothing.
    if (userId !== undefined) await deps.boosts.remove(chat.id, userId);
  });

  return composer;
}

/** Giveaway boosts may have no user; premium and gift-code boosts always have one. */
function boosterOf(source: ChatBoostSource): number | undefined {
  return 'user' in source && source.user ? source.user.id : undefined;
}
