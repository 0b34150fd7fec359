// The governor of every Bot API call: messages paced at Telegram's published limits (~30/s overall, ~1/s
// per private chat, 20/min per group or channel), shared by every Api of the process, and a 429's
// retry_after honoured by all calls of the bot (FloodPause): none goes out before it has elapsed. A call
// that would have to wait longer than `maxPauseWaitSec` is answered with the 429 at once, without asking
// Telegram, so a join reports "Telegram is busy" instead of hanging. Reads (getChatMember on the join path)
// are not paced by default: a join must not wait behind a DM backlog, and the read cache (BotApiCache)
// bounds them. The role of @grammyjs/transformer-throttler, without bottleneck.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transformer } from 'grammy';
import { FloodPause } from './flood-pause.ts';

export interface ThrottleOptions {
  /** Messages per second across all chats. */
  globalPerSec?: number;
  /** Other calls per second (0 = not paced). getUpdates is never paced. */
  otherPerSec?: number;
  /** Messages per second to one private chat (with a small burst allowance). */
  privatePerSec?: number;
  /** Messages per minute to one group or channel. */
  groupPerMin?: number;
  /** Calls during a pause wait for its end when it is at most this long, else fail at once (seconds). */
  maxPauseWaitSec?: number;
  /** The pause state (shared across nodes through Redis); default: this process only. */
  pause?: FloodPause;
}

/** Generic cell rate algorithm: a call may go once the schedule allows it, bursts up to `burst` calls. */
class Gcra {
  private tat = 0;
  constructor(
    private readonly intervalMs: number,
    private readonly burst: number,
  ) {}

  /** Reserves the next slot and returns how long to wait for it. */
  reserve(now: number): number {
    const tat = Math.max(this.tat, now);
    const allowedAt = tat - (this.burst - 1) * this.intervalMs;
    this.tat = tat + this.intervalMs;
    return Math.max(0, allowedAt - now);
  }

  idle(now: number): boolean {
    return this.tat <= now;
  }
}

const SENDING = /^(send|copy|forward|editMessage)/;
const MAX_TRACKED_CHATS = 10_000;

export function createThrottler(opts: ThrottleOptions = {}): Transformer {
  const messagesPerSec = opts.globalPerSec ?? 30;
  const global = new Gcra(1000 / messagesPerSec, Math.max(1, Math.round(messagesPerSec)));
  const otherPerSec = opts.otherPerSec ?? 0;
  const others = otherPerSec > 0 ? new Gcra(1000 / otherPerSec, Math.max(1, Math.round(otherPerSec))) : null;
  const privateInterval = 1000 / (opts.privatePerSec ?? 1);
  const groupInterval = 60_000 / (opts.groupPerMin ?? 20);
  const chats = new Map<string, Gcra>();
  const pause = opts.pause ?? new FloodPause();
  const maxPauseWaitMs = (opts.maxPauseWaitSec ?? 5) * 1000;

  const chatLimiter = (chatId: unknown, now: number): Gcra | undefined => {
    if (typeof chatId !== 'number' && typeof chatId !== 'string') return undefined;
    const key = String(chatId);
    let limiter = chats.get(key);
    if (!limiter) {
      if (chats.size >= MAX_TRACKED_CHATS) {
        for (const [k, l] of chats) if (l.idle(now)) chats.delete(k);
      }
      // Positive ids are users (private chats); negative ids and @usernames are groups and channels.
      const isPrivate = typeof chatId === 'number' && chatId > 0;
      limiter = isPrivate ? new Gcra(privateInterval, 3) : new Gcra(groupInterval, 3);
      chats.set(key, limiter);
    }
    return limiter;
  };

  return async (prev, method, payload, signal) => {
    // Long polling has its own backoff in grammY.
    if (method === 'getUpdates') return prev(method, payload, signal);
    // grammY types its signal with the abort-controller polyfill; at runtime it is the platform's.
    const native = signal as unknown as AbortSignal | undefined;
    const paused = await pause.remainingMs();
    if (paused > maxPauseWaitMs) return stillPaused(paused);
    if (paused > 0) await sleep(paused, undefined, native ? { signal: native } : undefined);
    const now = Date.now();
    let wait = 0;
    if (SENDING.test(method)) {
      const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      wait = Math.max(global.reserve(now), chatLimiter(chatId, now)?.reserve(now) ?? 0);
    } else if (others) {
      wait = others.reserve(now);
    }
    if (wait > 0) await sleep(wait, undefined, native ? { signal: native } : undefined);
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 429) pause.note(res.parameters?.retry_after ?? 1);
    return res;
  };
}

/** The answer Telegram would give during the pause, given without asking it. */
function stillPaused(remainingMs: number) {
  const retryAfter = Math.ceil(remainingMs / 1000);
  return {
    ok: false as const,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  };
}
