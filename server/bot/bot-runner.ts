// How updates reach the bot: long polling on the bot role by default, or a webhook mounted on the api role
// when BOT_WEBHOOK_URL is set (Telegram must then send our secret token in every request).
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import type { Logger } from '../platform/index.ts';
import type { BotContext } from './bot-context.ts';

/** chat_boost and my_chat_member are not delivered unless asked for. */
export const ALLOWED_UPDATES = [
  'message',
  'callback_query',
  'my_chat_member',
  'chat_boost',
  'removed_chat_boost',
] as const;

export interface WebhookSettings {
  url: string;
  /** 1–256 of A–Z a–z 0–9 _ -; derived from the token when not configured. */
  secret: string;
}

/** A stable secret per bot, so every node (and a restart) agrees without configuration. */
export function deriveWebhookSecret(token: string): string {
  return createHash('sha256').update(`giveaway-webhook:${token}`).digest('hex');
}

export class BotRunner {
  private stopping = false;
  private readonly wake = new AbortController();
  private running: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly opts: { webhook?: WebhookSettings; logger: Logger },
  ) {
    this.log = opts.logger.child({ module: 'bot' });
  }

  /**
   * Bot role: register the webhook, or start long polling. Both run in the background and retry on
   * failure, so a Telegram outage at boot never stops the node from becoming ready.
   */
  start(): Promise<void> {
    this.running ??= this.opts.webhook ? this.registerWebhook(this.opts.webhook) : this.poll();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    if (this.bot.isRunning()) await this.bot.stop();
    await this.running;
  }

  /** Api role with a webhook: POST {path} → grammY, which answers 401 to a wrong or missing secret. */
  webhookRouter(): Router | undefined {
    const webhook = this.opts.webhook;
    if (!webhook) return undefined;
    const handle = webhookCallback(this.bot, 'express', {
      secretToken: webhook.secret,
      // Telegram retries a slow webhook; answer before its timeout and let the handler finish.
      onTimeout: 'return',
      timeoutMilliseconds: 9_000,
    });
    return Router().post('/', handle);
  }

  /** The path part of BOT_WEBHOOK_URL, where the api role mounts webhookRouter(). */
  webhookPath(): string | undefined {
    return this.opts.webhook ? new URL(this.opts.webhook.url).pathname : undefined;
  }

  private async registerWebhook(webhook: WebhookSettings): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.bot.api.setWebhook(webhook.url, {
          secret_token: webhook.secret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        this.log.info({ url: webhook.url }, 'Telegram webhook registered');
        return;
      } catch (err) {
        await this.backoff(attempt, err, 'Could not register the Telegram webhook; retrying');
      }
    }
  }

  private async backoff(attempt: number, err: unknown, message: string): Promise<void> {
    const delayMs = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
    this.log.error({ err: (err as Error).message, delayMs }, message);
    await sleep(delayMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
  }

  private async poll(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.bot.start({
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: (me) => this.log.info({ username: me.username }, 'Bot polling for updates'),
        });
        return; // Resolves after stop().
      } catch (err) {
        if (this.stopping) return;
        // 401 (bad token) and 409 (another poller or a webhook) land here; keep trying, loudly.
        await this.backoff(attempt, err, 'Bot polling stopped; restarting');
      }
    }
  }
}
