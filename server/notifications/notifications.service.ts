// Delivers one Telegram message to one recipient once, and shows the owner where each stands. The ledger
// row is claimed (intent committed) before the Bot API call and marked sent with Telegram's message id right
// after it; a redelivered job skips a recipient already settled. The remaining window: see deliver().
import { setTimeout as sleep } from 'node:timers/promises';
import * as db from 'zapatos/db';
import type pg from 'pg';
import type {
  NotificationKind,
  NotificationStatus,
  NotificationsResponse,
  NotificationView,
} from '../../schema/contract/telegram.ts';
import { NOTIFICATION_STATUSES } from '../../schema/contract/telegram.ts';
import type { Principal } from '../auth/index.ts';
import type { TelegramClient } from '../platform/telegram/index.ts';
import { TelegramError } from '../platform/telegram/telegram-error.ts';
import type { Logger } from '../platform/index.ts';
import type { JobData, JobName } from '../platform/jobs/index.ts';
import type { JobEnqueuer } from '../channels/index.ts';
import type { OutgoingMessage } from './message-templates.ts';
import * as q from './notifications.queries.ts';

export type NotifyTelegram = Pick<TelegramClient, 'sendMessage' | 'appLink'>;

export interface NotificationsServiceDeps {
  pool: pg.Pool;
  telegram: NotifyTelegram;
  jobs: JobEnqueuer;
  logger: Logger;
  /** Ownership check of server/giveaways (GiveawaysService.requireOwned). */
  giveaways: { requireOwned(principal: Principal, id: string): Promise<unknown> };
  /** A claim older than this is presumed abandoned by a dead worker. Longer than any single send. */
  leaseSec?: number;
  /** Attempts (429 deferrals included) before a recipient is given up as failed. */
  maxAttempts?: number;
}

export type DeliveryOutcome = 'sent' | 'skipped' | 'blocked' | 'failed' | 'deferred';

/** The job being worked, so a 429 can defer it and the last retry can settle the row. */
export interface DeliveryJob {
  name: JobName;
  data: JobData;
  finalAttempt: boolean;
}

const SETTLED = new Set<NotificationStatus>(['sent', 'failed', 'blocked']);

export class NotificationsService {
  private readonly log: Logger;
  private readonly leaseSec: number;
  private readonly maxAttempts: number;

  constructor(private readonly deps: NotificationsServiceDeps) {
    this.log = deps.logger.child({ module: 'notifications' });
    this.leaseSec = deps.leaseSec ?? 120;
    this.maxAttempts = deps.maxAttempts ?? 20;
  }

  /**
   * One send through the ledger. The window we cannot close: Telegram accepted the message and the process
   * died before `markSent` committed. The Bot API has no idempotency key, so the next attempt cannot know
   * and sends again. We narrow it: one recipient per job (a crash leaves only the messages in flight in
   * doubt, never a batch); the sent-write is one statement issued the moment Telegram answers, retried
   * briefly on a database blip; graceful shutdown lets in-flight sends finish; sends that failed on the
   * network are never retried inside the call (server/bot/telegram/auto-retry.ts); and a resend after an
   * unfinished claim (found only after its lease ran out) is logged as "in doubt".
   */
  async deliver(
    key: q.NotificationKey,
    render: () => Promise<OutgoingMessage | null>,
    job: DeliveryJob,
  ): Promise<DeliveryOutcome> {
    const before = await q.selectStatus(this.deps.pool, key);
    if (before !== undefined && SETTLED.has(before)) return 'skipped';
    const message = await render();
    if (!message) return 'skipped'; // The giveaway is gone (and its ledger rows with it).
    await q.ensureNotification(this.deps.pool, key);
    const claimed = await q.claim(this.deps.pool, key, this.leaseSec);
    if (!claimed) {
      // Held by a live claim: try again once it settles or its lease runs out.
      if ((await q.selectStatus(this.deps.pool, key)) === 'sending') {
        throw new Error('Another worker is sending this notification');
      }
      return 'skipped';
    }
    if (claimed.previous === 'sending') {
      this.log.warn({ ...key }, 'Resending after an unfinished attempt: its outcome is in doubt');
    }
    if (claimed.attempts > this.maxAttempts) {
      await q.markFailed(this.deps.pool, key, 'Too many attempts');
      return 'failed';
    }
    let sent: { message_id: number };
    try {
      sent = await this.deps.telegram.sendMessage(key.recipientId, message.html, {
        ...(message.buttons ? { buttons: message.buttons } : {}),
      });
    } catch (err) {
      return this.onSendError(key, err, job, claimed.attempts);
    }
    await this.recordSent(key, sent.message_id);
    return 'sent';
  }

  async list(principal: Principal, giveawayId: string): Promise<NotificationsResponse> {
    await this.deps.giveaways.requireOwned(principal, giveawayId);
    const rows = await q.selectForGiveaway(this.deps.pool, giveawayId);
    const summary = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0])) as Record<
      NotificationStatus,
      number
    >;
    const items: NotificationView[] = rows.map((r) => {
      summary[r.status] += 1;
      return {
        kind: r.kind as NotificationKind,
        recipient_id: Number(r.recipient_id),
        status: r.status,
        attempts: r.attempts,
        last_error: r.last_error,
        sent_at: r.sent_at ? new Date(r.sent_at).toISOString() : null,
        telegram_message_id: r.telegram_message_id === null ? null : Number(r.telegram_message_id),
        updated_at: r.updated_at ? new Date(r.updated_at).toISOString() : null,
      };
    });
    return { giveaway_id: giveawayId, items, summary };
  }

  /** Right after Telegram answered: a database blip must not turn a delivered message into a resend. */
  private async recordSent(key: q.NotificationKey, messageId: number): Promise<void> {
    for (const [i, pause] of [100, 500, 2000, -1].entries()) {
      try {
        await q.markSent(this.deps.pool, key, messageId);
        return;
      } catch (err) {
        if (pause < 0) throw err;
        this.log.warn(
          { ...key, attempt: i + 1, err: (err as Error).message },
          'Could not record a sent message',
        );
        await sleep(pause);
      }
    }
  }

  private async onSendError(
    key: q.NotificationKey,
    err: unknown,
    job: DeliveryJob,
    attempts: number,
  ): Promise<DeliveryOutcome> {
    if (!(err instanceof TelegramError)) {
      await q.markQueued(this.deps.pool, key, (err as Error).message ?? String(err)).catch(() => undefined);
      throw err;
    }
    switch (err.kind) {
      case 'forbidden':
        await db.readCommitted(this.deps.pool, (tx) => q.markBlocked(tx, key, err.description));
        this.log.info({ ...key }, 'Recipient cannot be messaged (blocked the bot?); not retrying');
        return 'blocked';
      case 'rate_limited': {
        // Honour retry_after exactly: a new job due then, instead of pg-boss's generic backoff.
        const at = new Date(Date.now() + (err.retryAfterSec ?? 5) * 1000);
        await db.readCommitted(this.deps.pool, async (tx) => {
          await q.markQueued(tx, key, err.message, at);
          await this.deps.jobs.enqueue(tx, job.name, job.data, {
            startAfter: at,
            singletonKey: `${key.giveawayId}:${key.kind}:${key.recipientId}:retry:${attempts}`,
          });
        });
        return 'deferred';
      }
      case 'not_found':
      case 'bad_request':
        await q.markFailed(this.deps.pool, key, err.message);
        this.log.warn({ ...key, err: err.message }, 'Notification refused by Telegram; giving up');
        return 'failed';
      default:
        if (job.finalAttempt) {
          await q.markFailed(this.deps.pool, key, err.message);
          return 'failed';
        }
        await q.markQueued(this.deps.pool, key, err.message);
        throw err;
    }
  }
}
