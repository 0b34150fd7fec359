// Live questions about a channel for the create screen: is the bot there and can it check members
// (check-bulk, mini-app-api §3.17), and what is this public channel (GET /channels/:username/info). Both
// may name any chat, so they are bounded (the body's schema, a per-user rate limit) and answered through the
// client's shared cache: a repeated question, or the same channel twice in one request, asks Telegram once.
import type {
  CheckBulkBody,
  CheckBulkItem,
  CheckBulkResponse,
  ChannelInfo,
} from '../../schema/contract/telegram.ts';
import { TelegramError } from '../platform/telegram/telegram-error.ts';
import { AppError } from '../platform/errors.ts';
import { avatarUrl, channelUrl } from './channel-links.ts';
import type { ChannelsTelegram } from './telegram-port.ts';
import { CAN_CHECK_MEMBERS } from './telegram-port.ts';

export interface ChannelProbeDeps {
  telegram: ChannelsTelegram;
  publicBaseUrl: string;
}

const CHAT_ID = /^-?\d{1,20}$/;
const USERNAME = /^[A-Za-z0-9_]{4,32}$/;

type Target = { ref: number | string; username?: string } | { invalid: string; username?: string };

export class ChannelProbe {
  constructor(private readonly deps: ChannelProbeDeps) {}

  async checkBulk(body: CheckBulkBody): Promise<CheckBulkResponse> {
    const targets: Target[] = [
      ...(body.channel_ids ?? []).map((raw): Target => {
        const text = raw.trim();
        if (text === '') return { invalid: 'The channel id is missing' };
        return CHAT_ID.test(text) && Number.isSafeInteger(Number(text))
          ? { ref: Number(text) }
          : { invalid: 'The channel id is not a Telegram chat id' };
      }),
      ...(body.usernames ?? []).map((raw): Target => {
        const name = raw.trim().replace(/^@/, '');
        return USERNAME.test(name)
          ? { ref: `@${name}`, username: name }
          : { invalid: 'The channel username is not valid', username: name };
      }),
    ];
    // One probe per distinct chat; the answer keeps the request's order and length.
    const probes = new Map<string, Promise<CheckBulkItem>>();
    return {
      results: await Promise.all(
        targets.map((t) => {
          if ('invalid' in t) return this.probe(t);
          const key = String(t.ref).toLowerCase();
          let probe = probes.get(key);
          if (!probe) probes.set(key, (probe = this.probe(t)));
          return probe;
        }),
      ),
    };
  }

  async info(username: string): Promise<ChannelInfo> {
    let chat;
    try {
      chat = await this.deps.telegram.getChat(`@${username}`);
    } catch (err) {
      if (err instanceof TelegramError && err.transient) {
        throw new AppError('UNAVAILABLE', 'Telegram did not answer; try again shortly.', undefined, 5);
      }
      throw new AppError('NOT_FOUND', `No public channel @${username} the bot can see.`);
    }
    const name = chat.username ?? username;
    const url = channelUrl({ id: chat.id, username: name, invite_url: chat.invite_link ?? null });
    return {
      id: chat.id,
      type: chat.type,
      title: chat.title ?? name,
      username: name,
      avatar_url: avatarUrl(this.deps.publicBaseUrl, chat.id),
      channel_url: url,
      url,
    };
  }

  private async probe(target: Target): Promise<CheckBulkItem> {
    if ('invalid' in target) return this.failure(target.invalid, 0, target.username);
    let chat;
    try {
      chat = await this.deps.telegram.getChat(target.ref);
    } catch (err) {
      const id = typeof target.ref === 'number' ? target.ref : 0;
      if (err instanceof TelegramError && err.transient) {
        return this.failure('Telegram did not answer; try again in a moment', id, target.username);
      }
      return this.failure(
        'The bot cannot see this channel: add the bot to it as an administrator',
        id,
        target.username,
      );
    }
    let status = 'unknown';
    try {
      status = (await this.deps.telegram.getChatMember(chat.id, this.deps.telegram.botId)).status;
    } catch {
      // Unknown status: reported as "cannot check" below, which is what the creator needs to fix.
    }
    const canCheck = CAN_CHECK_MEMBERS.has(status);
    const username = chat.username ?? '';
    const title = chat.title ?? username;
    const item: CheckBulkItem = {
      ...(username ? { username } : {}),
      ok: canCheck,
      channel: {
        id: chat.id,
        type: chat.type,
        title,
        username,
        avatar_url: avatarUrl(this.deps.publicBaseUrl, chat.id),
        url: channelUrl({ id: chat.id, username: username || null, invite_url: chat.invite_link ?? null }),
      },
      bot_status: { status, can_check_members: canCheck },
    };
    if (!canCheck)
      item.error = `Make the bot an administrator of ${title || 'the channel'} so it can check members`;
    return item;
  }

  private failure(error: string, id: number, username?: string): CheckBulkItem {
    return {
      ...(username ? { username } : {}),
      ok: false,
      error,
      channel: { id, type: '', title: '', username: username ?? '', avatar_url: '', url: '' },
      bot_status: { status: 'unknown', can_check_members: false },
    };
  }
}
