// TonAPI over HTTP: a request-rate cap with a queue (TONAPI_RPS), single flight for identical GETs, a bounded
// cache per answer kind, and lossless JSON (TonAPI's `balance` is a bare number that can exceed 2^53).
// A 404 is an answer (`null`), every other failure is UNAVAILABLE: callers fail closed.
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { LRUCache } from 'lru-cache';
import { AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';

export interface TonApiClientOptions {
  baseUrl: string;
  apiKey: string | undefined;
  rps: number;
  logger: Logger;
  timeoutMs?: number;
  /** A request that would wait longer than this in the rate queue is refused instead (UNAVAILABLE). */
  maxQueueMs?: number;
  fetch?: typeof fetch;
}

/** JSON with every number that does not fit a double kept as its decimal string; null for a 404. */
export type LosslessJson = unknown;

export class TonApiClient {
  private readonly inFlight = new Map<string, Promise<LosslessJson>>();
  private readonly cache = new LRUCache<string, { value: LosslessJson }>({ max: 5_000 });
  private nextSlotAt = 0;
  private readonly log: Logger;

  constructor(private readonly opts: TonApiClientOptions) {
    this.log = opts.logger.child({ module: 'tonapi' });
  }

  /** GET `path`; `null` for 404. `ttlMs` > 0 caches the answer (404s included) for that long. */
  get(path: string, ttlMs = 0): Promise<LosslessJson> {
    const hit = ttlMs > 0 ? this.cache.get(path) : undefined;
    if (hit) return Promise.resolve(hit.value);
    const pending = this.inFlight.get(path);
    if (pending) return pending;
    const request = this.fetchJson(path)
      .then((value) => {
        if (ttlMs > 0) this.cache.set(path, { value }, { ttl: ttlMs });
        return value;
      })
      .finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, request);
    return request;
  }

  private async takeSlot(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSlotAt);
    const wait = at - now;
    if (wait > (this.opts.maxQueueMs ?? 15_000)) {
      throw new AppError(
        'UNAVAILABLE',
        'TonAPI is busy; try again shortly',
        undefined,
        Math.ceil(wait / 1000),
      );
    }
    this.nextSlotAt = at + 1000 / this.opts.rps;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private async fetchJson(path: string): Promise<LosslessJson> {
    await this.takeSlot();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(`${this.opts.baseUrl}${path}`, {
        headers,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, path }, 'TonAPI unreachable');
      throw new AppError('UNAVAILABLE', 'TonAPI is unreachable', undefined, undefined, { cause: err });
    }
    const text = await res.text().catch(() => '');
    if (res.status === 404) return null;
    if (!res.ok) {
      this.log.warn({ status: res.status, path, body: text.slice(0, 200) }, 'TonAPI error');
      const retryAfter = res.status === 429 ? 1 : undefined;
      throw new AppError('UNAVAILABLE', `TonAPI answered ${res.status}`, undefined, retryAfter);
    }
    try {
      return parseLossless(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
    } catch (err) {
      throw new AppError('UNAVAILABLE', 'TonAPI answered something that is not JSON', undefined, undefined, {
        cause: err,
      });
    }
  }
}

/** A TonAPI integer field (bare number, big-number string, or decimal string) as a bigint; undefined if absent. */
export function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
}
