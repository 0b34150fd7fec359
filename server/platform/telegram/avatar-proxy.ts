// Channel avatars for plain <img> tags without exposing the bot token: only for chats the server already knows
// (recorded in the database: the answer for any other id is a 404 without a Bot API call, so a public
// endpoint cannot be turned into a getChat loop), then chat → getChat photo → getFile path → bytes streamed
// from the Bot API file server. getChat and getFile answers come from the client's shared cache.
import { TelegramError } from './telegram-error.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../index.ts';
import type { TelegramClient } from './telegram-client.ts';

/** The Bot API calls the proxy needs. */
export type AvatarTelegram = Pick<TelegramClient, 'getChat' | 'getFile' | 'forgetFile' | 'downloadFile'>;

export interface AvatarProxyDeps {
  telegram: AvatarTelegram;
  /** Whether the database records this chat (a channel of the bot, a sponsor): `@name` or a numeric id. */
  isKnownChat: (chat: number | string) => Promise<boolean>;
  logger: Logger;
}

export interface ChatPhoto {
  fileId: string;
  /** Stable across bots and time for the same picture: our ETag. */
  uniqueId: string;
}

export interface AvatarImage {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: string | null;
}

export class AvatarProxy {
  constructor(private readonly deps: AvatarProxyDeps) {}

  /** The chat's current big photo; NOT_FOUND when the chat is unknown, has none or the bot cannot see it. */
  async resolve(chat: string): Promise<ChatPhoto> {
    const ref = /^-?\d+$/.test(chat) ? Number(chat) : `@${chat}`;
    if (!(await this.deps.isKnownChat(ref))) throw noAvatar();
    let info;
    try {
      info = await this.deps.telegram.getChat(ref);
    } catch (err) {
      if (err instanceof TelegramError && err.transient) throw unavailable();
      throw noAvatar();
    }
    if (!info.photo) throw noAvatar();
    return { fileId: info.photo.big_file_id, uniqueId: info.photo.big_file_unique_id };
  }

  async open(photo: ChatPhoto): Promise<AvatarImage> {
    try {
      return await this.download(photo, false);
    } catch (err) {
      // A cached path may have expired on Telegram's side: resolve it once more.
      if (err instanceof TelegramError && err.kind === 'not_found') {
        await this.deps.telegram.forgetFile(photo.fileId);
        return this.download(photo, true);
      }
      throw err;
    }
  }

  private async download(photo: ChatPhoto, retried: boolean): Promise<AvatarImage> {
    try {
      const file = await this.deps.telegram.getFile(photo.fileId);
      if (!file.file_path) throw noAvatar();
      const res = await this.deps.telegram.downloadFile(file.file_path);
      if (!res.body) throw noAvatar();
      const type = res.headers.get('content-type') ?? '';
      return {
        body: res.body,
        // Telegram's file server may say octet-stream; profile photos are JPEG.
        contentType: type.startsWith('image/') ? type : 'image/jpeg',
        contentLength: res.headers.get('content-length'),
      };
    } catch (err) {
      if (err instanceof TelegramError) {
        if (err.transient) throw unavailable();
        if (!retried && err.kind === 'not_found' && err.method === 'downloadFile') throw err;
        this.deps.logger.debug({ kind: err.kind, method: err.method }, 'Avatar download failed');
        throw noAvatar();
      }
      throw err;
    }
  }
}

const noAvatar = () => new AppError('NOT_FOUND', 'This chat has no avatar the bot can see.');
const unavailable = () =>
  new AppError('UNAVAILABLE', 'Telegram did not answer; try again shortly.', undefined, 5);
