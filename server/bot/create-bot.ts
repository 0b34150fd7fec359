// The grammY Bot: pointed at BOT_API_ROOT, sharing the process's pacing and retry transformers, logging
// updates when TELEGRAM_DEBUG is on, and catching every handler error (grammY's default stops the bot).
import { Bot, type Transformer } from 'grammy';
import type { Logger } from '../platform/index.ts';
import type { BotContext } from './bot-context.ts';

export interface CreateBotOptions {
  token: string;
  /** No trailing slash. */
  apiRoot: string;
  transformers: Transformer[];
  logger: Logger;
  /** TELEGRAM_DEBUG: log every update. */
  debug: boolean;
}

export function createBot(opts: CreateBotOptions): Bot<BotContext> {
  // getUpdates long-polls for 30 s, so the client timeout must be longer than that.
  const bot = new Bot<BotContext>(opts.token, { client: { apiRoot: opts.apiRoot, timeoutSeconds: 60 } });
  bot.api.config.use(...opts.transformers);
  const log = opts.logger.child({ module: 'bot' });
  if (opts.debug) {
    bot.use(async (ctx, next) => {
      log.info({ update: ctx.update }, 'Telegram update');
      await next();
    });
  }
  bot.catch((err) => {
    const cause = err.error instanceof Error ? err.error : new Error(String(err.error));
    // Name, message and stack only: grammY's HttpError carries the fetch error, whose URL has the token.
    log.error(
      {
        err: { name: cause.name, message: cause.message, stack: cause.stack },
        updateId: err.ctx.update.update_id,
      },
      'Bot handler failed',
    );
  });
  return bot;
}
