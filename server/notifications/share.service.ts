// Sharing a giveaway from the Mini App: a prepared inline message (savePreparedInlineMessage) for the
// caller, with the live caption and an Open button, reused for ~50 minutes per giveaway version.
import type { InlineQueryResult } from 'grammy/types';
import type { GiveawayView } from '../../schema/contract/giveaways.ts';
import type { PrepareMessageResponse } from '../../schema/contract/telegram.ts';
import type { Principal } from '../auth/index.ts';
import type { TelegramClient } from '../platform/telegram/index.ts';
import { TelegramError } from '../platform/telegram/telegram-error.ts';
import type { TtlCache } from '../platform/telegram/index.ts';
import { AppError } from '../platform/errors.ts';
import { clip } from './format.ts';
import { shareCaption } from './message-templates.ts';

export interface ShareServiceDeps {
  telegram: Pick<TelegramClient, 'savePreparedInlineMessage' | 'appLink'>;
  cache: TtlCache;
  giveaways: {
    requireOwned(principal: Principal, id: string): Promise<unknown>;
    get(principal: Principal | undefined, id: string): Promise<GiveawayView>;
  };
  /** An MP4 animation to share with (the legacy Giveaway.mp4); without it the message is text only. */
  animationUrl?: string;
}

const CACHE_TTL_SEC = 50 * 60;

export class ShareService {
  constructor(private readonly deps: ShareServiceDeps) {}

  async prepare(principal: Principal, giveawayId: string): Promise<PrepareMessageResponse> {
    await this.deps.giveaways.requireOwned(principal, giveawayId);
    const view = await this.deps.giveaways.get(principal, giveawayId);
    // Prepared for one user; a new version (edit, status change) gets a fresh caption.
    const key = `${giveawayId}:${principal.userId}:${view.version}`;
    const cached = await this.deps.cache.get<string>(key);
    if (cached) return { msg_id: cached, cached: true };

    // getMe (behind appLink, cached by the client once it answers) fails like any Telegram call: coded, retryable.
    const link = await telegramStep(() => this.deps.telegram.appLink(giveawayId));
    const caption = shareCaption({
      title: view.title,
      ends_at: view.ends_at,
      prizes: view.prizes,
      requirements: view.requirements,
      sponsors: view.sponsors,
    });
    const reply_markup = { inline_keyboard: [[{ text: 'Open Giveaway', url: link }]] };
    const result: InlineQueryResult = this.deps.animationUrl
      ? {
          type: 'mpeg4_gif',
          id: 'giveaway',
          mpeg4_url: this.deps.animationUrl,
          thumbnail_url: this.deps.animationUrl,
          caption,
          parse_mode: 'HTML',
          reply_markup,
        }
      : {
          type: 'article',
          id: 'giveaway',
          title: clip(view.title, 64),
          description: 'Giveaway is live',
          input_message_content: {
            message_text: caption,
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: true },
          },
          reply_markup,
        };
    const prepared = await telegramStep(() =>
      this.deps.telegram.savePreparedInlineMessage(principal.userId, result),
    );
    const ttl = Math.min(CACHE_TTL_SEC, prepared.expiration_date - Math.floor(Date.now() / 1000) - 60);
    await this.deps.cache.set(key, prepared.id, ttl);
    return { msg_id: prepared.id, cached: false };
  }
}

/** A Telegram call on behalf of the Mini App: its failures become coded, retryable errors, never a 500. */
async function telegramStep<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TelegramError && err.kind === 'rate_limited') {
      throw new AppError(
        'RATE_LIMITED',
        'Telegram is busy; try again shortly.',
        undefined,
        err.retryAfterSec,
      );
    }
    // The Mini App falls back to a t.me/share link on any error.
    throw new AppError(
      'UNAVAILABLE',
      'Telegram could not prepare the message; try again shortly.',
      undefined,
      5,
    );
  }
}
