// Read-through cache of the Bot API's read methods, shared by every node through Redis. Each answer is kept
// for its kind's TTL; a definite "no" (chat not found, bot kicked, bad id) is kept too, for the shorter
// negative TTL, so a flood of lookups for nonexistent chats costs one call per id and TTL, not one per
// request. Identical lookups in flight share one call in this process, and a short Redis lock makes the
// other nodes wait for that call's answer instead of asking Telegram themselves.
import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError, type TelegramErrorKind } from './telegram-error.ts';
import type { TtlCache } from './ttl-cache.ts';
import type { TelegramCacheSettings } from '../../config/index.ts';

/** What is cached, each with its own TTL (TELEGRAM_CACHE_* settings). */
export type BotApiCacheTtls = TelegramCacheSettings;

export type CachedRead = 'chat' | 'member' | 'admins' | 'boosts' | 'filePath';

export interface BotApiCacheOptions {
  cache: TtlCache;
  ttls: BotApiCacheTtls;
  /**
   * How long another node's call may take before this node asks Telegram itself. Generous: the holder may be
   * waiting out a flood pause, and it releases the lock as soon as it has an answer (or none).
   */
  lockMs?: number;
  /** How often a waiting node looks for the other node's answer. */
  pollMs?: number;
}

/** A cached answer: the value, or the refusal to throw again. */
type Entry<T> =
  { v: T } | { e: { kind: TelegramErrorKind; method: string; description: string; code?: number } };

/** Answers that asking again within minutes would not change. Rate limits, 5xx and timeouts are never kept. */
const DEFINITE: ReadonlySet<TelegramErrorKind> = new Set(['not_found', 'forbidden', 'bad_request']);

export class BotApiCache {
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly lockMs: number;
  private readonly pollMs: number;

  constructor(private readonly opts: BotApiCacheOptions) {
    this.lockMs = opts.lockMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 25;
  }

  /**
   * The cached answer for `key`, or `fetch`'s (once per key across concurrent callers). `fresh` skips the
   * cached answer but stores the new one: for the rare decisions that must see the current state.
   */
  read<T>(kind: CachedRead, key: string, fetch: () => Promise<T>, fresh = false): Promise<T> {
    const ttlSec = this.opts.ttls[`${kind}Sec`];
    if (ttlSec <= 0) return fetch();
    if (fresh) return this.fetchAndStore(key, ttlSec, fetch);
    const flight = this.inflight.get(key) as Promise<T> | undefined;
    if (flight) return flight;
    const started = this.load(key, ttlSec, fetch).finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }

  /** Drops cached answers (e.g. the bot's status in a chat changed). */
  async forget(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.opts.cache.delete(key)));
  }

  private async load<T>(key: string, ttlSec: number, fetch: () => Promise<T>): Promise<T> {
    const { cache } = this.opts;
    const hit = await cache.get<Entry<T>>(key);
    if (hit) return unwrap(hit);
    const lock = `lock:${key}`;
    if (!(await cache.claim(lock, this.lockMs))) {
      const answer = await this.awaitOtherNode<T>(key, lock);
      if (answer) return unwrap(answer);
    } else {
      // Another node may have answered and released the lock between our miss and our claim.
      const late = await cache.get<Entry<T>>(key);
      if (late) {
        await cache.delete(lock);
        return unwrap(late);
      }
    }
    try {
      return await this.fetchAndStore(key, ttlSec, fetch);
    } finally {
      await cache.delete(lock);
    }
  }

  private async fetchAndStore<T>(key: string, ttlSec: number, fetch: () => Promise<T>): Promise<T> {
    const { cache } = this.opts;
    try {
      const value = await fetch();
      await cache.set(key, { v: value } satisfies Entry<T>, ttlSec);
      return value;
    } catch (err) {
      if (err instanceof TelegramError && DEFINITE.has(err.kind)) {
        const entry: Entry<T> = {
          e: {
            kind: err.kind,
            method: err.method,
            description: err.description,
            ...(err.errorCode !== undefined ? { code: err.errorCode } : {}),
          },
        };
        await cache.set(key, entry, Math.min(ttlSec, this.opts.ttls.negativeSec));
      }
      throw err;
    }
  }

  /** Waits for the lock holder's answer; undefined when it gave none (it failed, or took too long). */
  private async awaitOtherNode<T>(key: string, lock: string): Promise<Entry<T> | undefined> {
    const until = Date.now() + this.lockMs;
    while (Date.now() < until) {
      await sleep(this.pollMs);
      const answer = await this.opts.cache.get<Entry<T>>(key);
      if (answer) return answer;
      if ((await this.opts.cache.get(lock)) === undefined) return this.opts.cache.get<Entry<T>>(key);
    }
    return undefined;
  }
}

function unwrap<T>(entry: Entry<T>): T {
  if ('e' in entry) {
    const { kind, method, description, code } = entry.e;
    throw new TelegramError(kind, method, description, code);
  }
  return entry.v;
}
