// The Telegram Bot API: the token works (getMe), webhook status and backlog, and the bot is an administrator
// of the channels live giveaways check.
import type pg from 'pg';
import type { Config } from '../config/index.ts';
import { failure, fetchWithin, ok, reason, warning, type CheckResult } from './check-result.ts';
import { channelsLackingAdmin } from './doctor.queries.ts';

const PENDING_WARN = 100;

interface BotApiAnswer<T> {
  ok: boolean;
  result?: T;
  description?: string;
  error_code?: number;
}

async function call<T>(config: Config, token: string, method: string): Promise<BotApiAnswer<T>> {
  const res = await fetchWithin(`${config.telegram.apiRoot}/bot${token}/${method}`, 5_000, {
    method: 'POST',
  });
  return (await res.json()) as BotApiAnswer<T>;
}

export async function checkBotApi(config: Config, pool: pg.Pool | undefined): Promise<CheckResult[]> {
  const token = config.telegram.botToken;
  if (!token) {
    return [
      config.sandbox.enabled
        ? ok('bot api', 'no BOT_TOKEN: sandbox mode (demo users, no Telegram)')
        : warning(
            'bot api',
            'no BOT_TOKEN: the bot is off and /api/v1 answers 401',
            'Set BOT_TOKEN from @BotFather.',
          ),
    ];
  }
  const rows: CheckResult[] = [];
  let me: BotApiAnswer<{ id: number; username?: string }>;
  try {
    me = await call(config, token, 'getMe');
  } catch (err) {
    return [
      failure(
        'bot api',
        `${config.telegram.apiRoot} unreachable: ${reason(err)}`,
        'Check network access to the Bot API (or BOT_API_ROOT).',
      ),
    ];
  }
  if (!me.ok || !me.result) {
    const unauthorized = me.error_code === 401 || me.error_code === 404;
    return [
      failure(
        'bot api',
        `getMe refused: ${me.error_code ?? '?'} ${me.description ?? ''}`.trim(),
        unauthorized
          ? 'BOT_TOKEN is wrong or revoked: copy the current token from @BotFather.'
          : 'Check BOT_TOKEN and BOT_API_ROOT.',
      ),
    ];
  }
  const username = me.result.username ?? String(me.result.id);
  rows.push(ok('bot api', `@${username}`));
  if (config.telegram.botUsername && config.telegram.botUsername.replace(/^@/, '') !== me.result.username) {
    rows.push(
      warning(
        'bot username',
        `BOT_USERNAME is ${config.telegram.botUsername}, the token is @${username}`,
        `Set BOT_USERNAME=${username}.`,
      ),
    );
  }
  try {
    const hook = await call<{ url: string; pending_update_count: number; last_error_message?: string }>(
      config,
      token,
      'getWebhookInfo',
    );
    const info = hook.result;
    if (!hook.ok || !info) throw new Error(hook.description ?? 'no result');
    const wanted = config.telegram.webhookUrl;
    const mode = info.url ? `webhook ${info.url}` : 'long polling';
    if (wanted && info.url && info.url !== wanted) {
      rows.push(
        warning(
          'bot webhook',
          `${mode}, but BOT_WEBHOOK_URL is ${wanted}`,
          'Start the bot role once: it sets the webhook.',
        ),
      );
    } else if (info.last_error_message) {
      rows.push(
        warning(
          'bot webhook',
          `${mode}; last error: ${info.last_error_message}`,
          'Check that Telegram can reach BOT_WEBHOOK_URL over https.',
        ),
      );
    } else if (info.pending_update_count > PENDING_WARN) {
      rows.push(
        warning(
          'bot webhook',
          `${mode}; ${info.pending_update_count} updates pending`,
          'Is a bot role running? Start one (ROLES includes bot).',
        ),
      );
    } else {
      rows.push(ok('bot webhook', `${mode}; ${info.pending_update_count} updates pending`));
    }
  } catch (err) {
    rows.push(
      warning(
        'bot webhook',
        `getWebhookInfo failed: ${reason(err)}`,
        'Retry; check the Bot API is reachable.',
      ),
    );
  }
  if (pool) {
    try {
      const lacking = await channelsLackingAdmin(pool as unknown as pg.ClientBase);
      rows.push(
        lacking.length === 0
          ? ok('bot admin', 'administrator of every channel live giveaways check')
          : warning(
              'bot admin',
              `not an administrator of ${lacking.map((c) => (c.username ? `@${c.username}` : c.id)).join(', ')}`,
              `Add @${username} as an administrator of those channels; their subscription checks fail until then.`,
            ),
      );
    } catch (err) {
      rows.push(warning('bot admin', `cannot read channels: ${reason(err)}`, 'Apply migrations first.'));
    }
  }
  return rows;
}
