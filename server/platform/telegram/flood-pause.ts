// The bot's "Telegram said wait" state: a 429's retry_after stops every Bot API call of the bot until it has
// elapsed, on every node. Telegram counts limits per bot token, not per process, so one node's 429 is every
// node's. Kept in process memory for the hot path and in Redis for the other nodes, which read it at most
// every `refreshMs` (so another node's pause is honoured here within that time; a slow Redis read gives up
// after the cache's short timeout).
import type { TtlCache } from './ttl-cache.ts';

export interface FloodPauseOptions {
  /** Shared with the other nodes; null keeps the pause in this process. */
  shared: TtlCache | null;
  refreshMs?: number;
}

const KEY = 'flood-pause';

export class FloodPause {
  private until = 0;
  private checkedAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly opts: FloodPauseOptions = { shared: null }) {}

  /** Telegram answered 429 with this retry_after. */
  note(retryAfterSec: number): void {
    const until = Date.now() + Math.max(1, retryAfterSec) * 1000;
    if (until <= this.until) return;
    this.until = until;
    void this.opts.shared?.set(KEY, until, retryAfterSec);
  }

  /** Milliseconds until calls may go again (0: not paused). */
  async remainingMs(): Promise<number> {
    const shared = this.opts.shared;
    if (shared && Date.now() - this.checkedAt >= (this.opts.refreshMs ?? 500)) {
      this.refreshing ??= shared
        .get<number>(KEY)
        .then((until) => {
          if (typeof until === 'number' && until > this.until) this.until = until;
        })
        .catch(() => undefined)
        .finally(() => {
          this.checkedAt = Date.now();
          this.refreshing = undefined;
        });
      await this.refreshing;
    }
    return Math.max(0, this.until - Date.now());
  }
}
