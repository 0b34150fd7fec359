// The Bot API as the rest of the server uses it: a grammY Api pointed at BOT_API_ROOT, paced and retried by
// the shared transformers (the governor), reads answered from the shared cache when it knows them, each
// method's failures turned into TelegramError, and file downloads that keep the token server-side. Every
// Bot API call of the server goes through here. Services depend on this class's shape (import type), never
// on grammY itself.
import { Api, GrammyError, HttpError, type Transformer } from 'grammy';
import type {
  ChatFullInfo,
  ChatMember,
  ChatMemberAdministrator,
  ChatMemberOwner,
  File,
  InlineKeyboardButton,
  InlineQueryResult,
  PreparedInlineMessage,
  UserChatBoosts,
} from 'grammy/types';
import type { BotApiCache } from './bot-api-cache.ts';
import { TelegramError, classifyApiError } from './telegram-error.ts';

export interface TelegramClientOptions {
  token: string;
  /** No trailing slash. */
  apiRoot: string;
  /** Shared with the bot's Api so both draw on one rate budget. */
  transformers: Transformer[];
  /** BOT_USERNAME; otherwise asked once with getMe. */
  username?: string;
  timeoutSeconds?: number;
  /** Read-through cache of getChat, getChatMember, getChatAdministrators, getUserChatBoosts and getFile. */
  cache?: BotApiCache;
}

/** `fresh`: skip the cached answer (and store the new one), for decisions that must see the current state. */
export interface ReadOptions {
  fresh?: boolean;
}

export interface SendOptions {
  buttons?: InlineKeyboardButton[][];
}

const FILE_PATH = /^[A-Za-z0-9_\-/.]{1,512}$/;

export function toTelegramError(method: string, err: unknown): unknown {
  if (err instanceof GrammyError) {
    return classifyApiError(err.method, err.error_code, err.description, err.parameters.retry_after);
  }
  // HttpError wraps the fetch error, whose message can contain the request URL and so the token: drop it.
  if (err instanceof HttpError) return new TelegramError('network', method, 'network request failed');
  return err;
}

export class TelegramClient {
  readonly api: Api;
  readonly botId: number;
  private usernameCache: Promise<string> | undefined;

  constructor(private readonly opts: TelegramClientOptions) {
    this.api = new Api(opts.token, { apiRoot: opts.apiRoot, timeoutSeconds: opts.timeoutSeconds ?? 20 });
    this.api.config.use(...opts.transformers);
    // The id is the token's prefix, so checks like getChatMember(chat, bot) need no getMe.
    this.botId = Number(opts.token.split(':')[0]);
    if (opts.username) this.usernameCache = Promise.resolve(opts.username.replace(/^@/, ''));
  }

  /** The bot's @username (without @), for deep links. */
  username(): Promise<string> {
    this.usernameCache ??= this.call('getMe', (api) => api.getMe()).then((me) => me.username);
    this.usernameCache.catch(() => (this.usernameCache = undefined)); // Ask again next time.
    return this.usernameCache;
  }

  /** `https://t.me/<bot>?startapp=<id>`: opens the Mini App on the giveaway. */
  async appLink(giveawayId: string): Promise<string> {
    return `https://t.me/${await this.username()}?startapp=${giveawayId}`;
  }

  getChat(chatId: number | string, opts: ReadOptions = {}): Promise<ChatFullInfo> {
    return this.read(
      'chat',
      `chat:${chatKey(chatId)}`,
      () => this.call('getChat', (api) => api.getChat(chatId)),
      opts,
    );
  }

  getChatMember(chatId: number | string, userId: number, opts: ReadOptions = {}): Promise<ChatMember> {
    return this.read(
      'member',
      `member:${chatKey(chatId)}:${userId}`,
      () => this.call('getChatMember', (api) => api.getChatMember(chatId, userId)),
      opts,
    );
  }

  getChatAdministrators(
    chatId: number | string,
    opts: ReadOptions = {},
  ): Promise<Array<ChatMemberOwner | ChatMemberAdministrator>> {
    return this.read(
      'admins',
      `admins:${chatKey(chatId)}`,
      () => this.call('getChatAdministrators', (api) => api.getChatAdministrators(chatId)),
      opts,
    );
  }

  getUserChatBoosts(chatId: number | string, userId: number): Promise<UserChatBoosts> {
    return this.read('boosts', `boosts:${chatKey(chatId)}:${userId}`, () =>
      this.call('getUserChatBoosts', (api) => api.getUserChatBoosts(chatId, userId)),
    );
  }

  getFile(fileId: string): Promise<File> {
    return this.read('filePath', `file:${fileId}`, () => this.call('getFile', (api) => api.getFile(fileId)));
  }

  /**
   * Forgets what the cache knows of a chat and of the bot in it: the bot was added, promoted or removed, so
   * its status, the administrators and the chat itself are asked again.
   */
  async forgetChat(chatId: number, username?: string | null): Promise<void> {
    await this.opts.cache?.forget([
      `chat:${chatKey(chatId)}`,
      ...(username ? [`chat:${chatKey(`@${username}`)}`] : []),
      `admins:${chatKey(chatId)}`,
      `member:${chatKey(chatId)}:${this.botId}`,
    ]);
  }

  /** A cached file path that stopped working (Telegram's link expired): the next getFile asks again. */
  async forgetFile(fileId: string): Promise<void> {
    await this.opts.cache?.forget([`file:${fileId}`]);
  }

  /** HTML message; callers escape every interpolated value (server/notifications/html.ts). */
  sendMessage(
    chatId: number | string,
    html: string,
    opts: SendOptions = {},
  ): Promise<{ message_id: number }> {
    return this.call('sendMessage', (api) =>
      api.sendMessage(chatId, html, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(opts.buttons ? { reply_markup: { inline_keyboard: opts.buttons } } : {}),
      }),
    );
  }

  savePreparedInlineMessage(userId: number, result: InlineQueryResult): Promise<PreparedInlineMessage> {
    return this.call('savePreparedInlineMessage', (api) =>
      api.savePreparedInlineMessage(userId, result, {
        allow_user_chats: true,
        allow_group_chats: true,
        allow_channel_chats: true,
      }),
    );
  }

  /** Fetches `${apiRoot}/file/bot<token>/<path>`; the URL (and so the token) never leaves this method. */
  async downloadFile(filePath: string): Promise<Response> {
    if (!FILE_PATH.test(filePath) || filePath.includes('..')) {
      throw new TelegramError('bad_request', 'downloadFile', 'unexpected file path');
    }
    let res: Response;
    try {
      res = await fetch(`${this.opts.apiRoot}/file/bot${this.opts.token}/${filePath}`, {
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new TelegramError('network', 'downloadFile', 'file download failed');
    }
    if (res.ok && res.body) return res;
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 404 || res.status === 400) {
      throw new TelegramError('not_found', 'downloadFile', 'file not found', res.status);
    }
    throw new TelegramError('server', 'downloadFile', `file download answered ${res.status}`, res.status);
  }

  private read<T>(
    kind: Parameters<BotApiCache['read']>[0],
    key: string,
    fetch: () => Promise<T>,
    opts: ReadOptions = {},
  ): Promise<T> {
    return this.opts.cache ? this.opts.cache.read(kind, key, fetch, opts.fresh) : fetch();
  }

  private async call<T>(method: string, fn: (api: Api) => Promise<T>): Promise<T> {
    try {
      return await fn(this.api);
    } catch (err) {
      throw toTelegramError(method, err);
    }
  }
}

/** `@Name` and `@name` are the same chat. */
function chatKey(chatId: number | string): string {
  return typeof chatId === 'string' ? chatId.toLowerCase() : String(chatId);
}
