// Channels the bot is in and who administers them: recorded from my_chat_member updates, listed for the
// Mini App's pickers, and checked when a creator uses one in a requirement. When the bot loses a channel,
// live requirements on it become uncheckable and each creator is told (a durable notify-creator job).
import * as db from 'zapatos/db';
import type pg from 'pg';
import type { ChannelInfo } from '../../schema/contract/telegram.ts';
import { TelegramError } from '../platform/telegram/telegram-error.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';
import type { NewRequirement } from '../requirements/index.ts';
import { avatarUrl, boostUrl, channelUrl } from './channel-links.ts';
import * as q from './channels.queries.ts';
import { CAN_CHECK_MEMBERS, type ChannelsTelegram, type JobEnqueuer } from './telegram-port.ts';

export interface ChannelsServiceDeps {
  pool: pg.Pool;
  telegram: ChannelsTelegram;
  jobs: JobEnqueuer;
  logger: Logger;
  /** No trailing slash. */
  publicBaseUrl: string;
}

/** The bot's own membership changed in a chat (a my_chat_member update), reduced to what we keep. */
export interface BotMembershipEvent {
  chat: { id: number; type: string; title?: string; username?: string };
  /** Who made the change (the user who added or removed the bot). */
  actorId: number;
  status: q.BotStatus;
}

const TRACKED_TYPES = new Set(['channel', 'group', 'supergroup']);

export class ChannelsService {
  private readonly log: Logger;

  constructor(private readonly deps: ChannelsServiceDeps) {
    this.log = deps.logger.child({ module: 'channels' });
  }

  async onBotMembership(ev: BotMembershipEvent): Promise<'tracked' | 'removed' | 'ignored'> {
    if (!TRACKED_TYPES.has(ev.chat.type)) return 'ignored';
    // The bot's status and the admin list just changed: cached answers about this chat are stale.
    await this.deps.telegram.forgetChat(ev.chat.id, ev.chat.username);
    const chatType = ev.chat.type as q.ChannelUpsert['type'];
    if (ev.status === 'left' || ev.status === 'kicked') {
      await this.onBotRemoved(ev.chat.id, ev.chat.title ?? '', ev.status);
      return 'removed';
    }
    const canCheck = CAN_CHECK_MEMBERS.has(ev.status);
    const admins = await this.fetchAdmins(ev.chat.id);
    await db.readCommitted(this.deps.pool, async (tx) => {
      await q.upsertChannel(tx, {
        id: ev.chat.id,
        type: chatType,
        title: ev.chat.title ?? '',
        username: ev.chat.username ?? null,
        bot_status: ev.status,
        bot_can_check_members: canCheck,
      });
      if (admins) await q.replaceAdmins(tx, ev.chat.id, admins);
      // Only an admin can make the bot an admin, so the actor is one even when the list is unavailable.
      else if (canCheck) await q.addAdmin(tx, ev.chat.id, ev.actorId, 'administrator');
      if (canCheck) await q.setRequirementsCheckable(tx, ev.chat.id, true);
    });
    this.log.info({ chatId: ev.chat.id, status: ev.status, admins: admins?.length }, 'Channel tracked');
    return 'tracked';
  }

  /** A user blocked (kicked) or unblocked (member) the bot in their private chat. */
  async onPrivateChatStatus(userId: number, status: q.BotStatus): Promise<void> {
    await q.setBotBlocked(this.deps.pool, userId, status === 'kicked' || status === 'left');
  }

  /** A chat the database records (see q.isKnownChat): `@username` or a numeric id. */
  isKnownChat(chat: number | string): Promise<boolean> {
    return q.isKnownChat(this.deps.pool, typeof chat === 'string' ? chat.replace(/^@/, '') : chat);
  }

  async listForUser(userId: number): Promise<ChannelInfo[]> {
    const rows = await q.selectChannelsOfAdmin(this.deps.pool, userId);
    return rows.map((row) => this.toInfo(row));
  }

  /**
   * The create-time hook of subscription/boost requirements: the creator must administer the channel, the
   * bot must be an admin there (checked live), and the stored requirement gets the channel's current title,
   * username, links and avatar.
   */
  async prepareRequirement(req: NewRequirement, creatorId: number): Promise<NewRequirement> {
    const channel =
      req.channel_id != null
        ? await q.selectChannel(this.deps.pool, req.channel_id)
        : req.channel_username
          ? await q.selectChannelByUsername(this.deps.pool, req.channel_username)
          : undefined;
    const label = req.channel_username ? `@${req.channel_username}` : String(req.channel_id ?? '');
    if (!channel || !q.BOT_PRESENT.includes(channel.bot_status as q.BotStatus)) {
      throw new AppError('FORBIDDEN', `Add the bot as an administrator of ${label} first.`, {
        channel: label,
        reason: 'bot_not_in_channel',
      });
    }
    const chatId = Number(channel.id);
    if (!(await this.administers(chatId, creatorId))) {
      throw new AppError('FORBIDDEN', `Only administrators of ${label} can use it in a giveaway.`, {
        channel: label,
        reason: 'not_channel_admin',
      });
    }
    // Fresh: the creator may have just promoted the bot (creation is rate-limited, so this stays cheap).
    const [chat, member] = await Promise.all([
      this.deps.telegram.getChat(chatId, { fresh: true }),
      this.deps.telegram.getChatMember(chatId, this.deps.telegram.botId, { fresh: true }),
    ]).catch((err: unknown) => {
      if (err instanceof TelegramError && err.transient) {
        throw new AppError('UNAVAILABLE', 'Telegram did not answer; try again shortly.', undefined, 5);
      }
      throw new AppError('FORBIDDEN', `The bot has no access to ${label}; add it as an administrator.`, {
        channel: label,
        reason: 'bot_no_access',
      });
    });
    const canCheck = CAN_CHECK_MEMBERS.has(member.status);
    const username = 'username' in chat && chat.username ? chat.username : null;
    const title = 'title' in chat && chat.title ? chat.title : (channel.title ?? '');
    const inviteUrl = chat.invite_link ?? channel.invite_url ?? null;
    await q.updateChannel(this.deps.pool, chatId, {
      title,
      username,
      invite_url: inviteUrl,
      bot_status: member.status,
      bot_can_check_members: canCheck,
    });
    if (!canCheck) {
      throw new AppError('FORBIDDEN', `The bot must be an administrator of ${label} to check members.`, {
        channel: label,
        reason: 'bot_not_admin',
      });
    }
    const linkable = { id: chatId, username, invite_url: inviteUrl };
    return {
      ...req,
      channel_id: chatId,
      channel_username: username,
      name: title || req.name,
      avatar_url: avatarUrl(this.deps.publicBaseUrl, chatId),
      url: req.type === 'boost' ? boostUrl(linkable) : channelUrl(linkable),
    };
  }

  toInfo(row: q.ChannelRow): ChannelInfo {
    const id = Number(row.id);
    const url = channelUrl({ id, username: row.username, invite_url: row.invite_url });
    return {
      id,
      title: row.title || (row.username ?? ''),
      username: row.username ?? '',
      type: row.type,
      avatar_url: avatarUrl(this.deps.publicBaseUrl, id),
      channel_url: url,
      url,
    };
  }

  private async onBotRemoved(chatId: number, title: string, status: q.BotStatus): Promise<void> {
    const affected = await db.readCommitted(this.deps.pool, async (tx) => {
      await q.updateChannel(tx, chatId, { bot_status: status, bot_can_check_members: false });
      const giveaways = await q.setRequirementsCheckable(tx, chatId, false);
      for (const g of giveaways) {
        // In the same transaction: the requirement is uncheckable if and only if the creator will hear of it.
        await this.deps.jobs.enqueue(
          tx,
          'notify-creator',
          {
            giveaway_id: g.giveaway_id,
            creator_id: g.creator_id,
            kind: 'channel_lost',
            channel_id: chatId,
            channel_title: title,
          },
          { singletonKey: `${g.giveaway_id}:channel_lost:${chatId}` },
        );
      }
      return giveaways;
    });
    this.log.info({ chatId, status, giveaways: affected.length }, 'Bot removed from channel');
  }

  /** Admin lists change without telling the bot: on a miss, ask Telegram once before refusing. */
  private async administers(chatId: number, userId: number): Promise<boolean> {
    if (await q.isChannelAdmin(this.deps.pool, chatId, userId)) return true;
    const admins = await this.fetchAdmins(chatId, true);
    if (!admins) return false;
    await q.replaceAdmins(this.deps.pool, chatId, admins);
    return admins.some((a) => a.userId === userId);
  }

  /** Human administrators of the chat, or null when Telegram would not say. */
  private async fetchAdmins(
    chatId: number,
    fresh = false,
  ): Promise<Array<{ userId: number; status: 'creator' | 'administrator' }> | null> {
    try {
      const members = await this.deps.telegram.getChatAdministrators(chatId, { fresh });
      return members
        .filter((m) => !m.user.is_bot)
        .map((m) => ({ userId: m.user.id, status: m.status === 'creator' ? 'creator' : 'administrator' }));
    } catch (err) {
      this.log.warn({ chatId, err: (err as Error).message }, 'Could not read the chat administrators');
      return null;
    }
  }
}
