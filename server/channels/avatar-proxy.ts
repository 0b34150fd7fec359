// Channel avatars for plain <img> tags without exposing the bot token: chat → getChat photo (file ids cached
// 10 min) → getFile path (cached per file_unique_id, re-resolved only when the photo changes or the path
// expires) → bytes streamed from the Bot API file server.
import { TelegramError } from '../bot/telegram/telegram-error.ts';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';
import type { ChannelsTelegram } from './telegram-port.ts';
import type { TtlCache } from './ttl-cache.ts';

export interface AvatarProxyDeps {
  telegram: ChannelsTelegram;
  cache: TtlCache;
  logger: Logger;
}

export interface ChatPhoto {
  fileId: string;
  /** Stable across bots and time for the same picture: our ETag and the path cache key. */
  uniqueId: string;
}

export interface AvatarImage {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: string | null;
}

const PHOTO_TTL_SEC = 10 * 60;
const NO_PHOTO_TTL_SEC = 5 * 60;
/** Bot API file links are valid for at least an hour. */
const PATH_TTL_SEC = 50 * 60;

export class AvatarProxy {
  constructor(private readonly deps: AvatarProxyDeps) {}

  /** The chat's current big photo; NOT_FOUND when it has none or the bot cannot see the chat. */
  async resolve(chat: string): Promise<ChatPhoto> {
    const ref = /^-?\d+$/.test(chat) ? Number(chat) : `@${chat}`;
    const key = `photo:${String(ref).toLowerCase()}`;
    const cached = await this.deps.cache.get<ChatPhoto | { none: true }>(key);
    if (cached) {
      if ('none' in cached) throw noAvatar();
      return cached;
    }
    let info;
    try {
      info = await this.deps.telegram.getChat(ref);
    } catch (err) {
      if (err instanceof TelegramError && err.transient) throw unavailable();
      await this.deps.cache.set(key, { none: true }, NO_PHOTO_TTL_SEC);
      throw noAvatar();
    }
    if (!info.photo) {
      await this.deps.cache.set(key, { none: true }, NO_PHOTO_TTL_SEC);
      throw noAvatar();
    }
    const photo: ChatPhoto = { fileId: info.photo.big_file_id, uniqueId: info.photo.big_file_unique_id };
    await this.deps.cache.set(key, photo, PHOTO_TTL_SEC);
    return photo;
  }

  async open(photo: ChatPhoto): Promise<AvatarImage> {
    try {
      return await this.download(photo, false);
    } catch (err) {
      // A cached path may have expired on Telegram's side: resolve it once more.
      if (err instanceof TelegramError && err.kind === 'not_found') return this.download(photo, true);
      throw err;
    }
  }

  private async download(photo: ChatPhoto, fresh: boolean): Promise<AvatarImage> {
    const key = `file:${photo.uniqueId}`;
    let path = fresh ? undefined : await this.deps.cache.get<string>(key);
    try {
      if (!path) {
        const file = await this.deps.telegram.getFile(photo.fileId);
        if (!file.file_path) throw noAvatar();
        path = file.file_path;
        await this.deps.cache.set(key, path, PATH_TTL_SEC);
      }
      const res = await this.deps.telegram.downloadFile(path);
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
        await this.deps.cache.delete(key);
        if (err.transient) throw unavailable();
        if (!fresh && err.kind === 'not_found') throw err;
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
