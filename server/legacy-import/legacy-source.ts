// The legacy Redis, read-only by construction: this wrapper issues nothing but SCAN (with or without TYPE),
// TYPE, GET, MGET, SMEMBERS, SSCAN, HGETALL, HSCAN, SCARD (all pipelined) and DBSIZE, so the importer cannot write to
// the source whatever happens. The connection skips CLIENT SETNAME, the INFO ready check and RESP3's HELLO
// (absent before Redis 6, which a legacy server may well be), so a read-only ACL user suffices.
import { Redis } from 'ioredis';
import type { RedisType } from './legacy-keys.ts';

/** The commands this module may send; tests assert the source saw nothing else. */
export const READ_COMMANDS = [
  'scan',
  'type',
  'get',
  'mget',
  'smembers',
  'sscan',
  'hgetall',
  'hscan',
  'scard',
  'dbsize',
] as const;
/** Sent on connect when the URL carries credentials or a database number. */
export const CONNECTION_COMMANDS = ['auth', 'select'] as const;

/** Keys per MGET: large enough to make the per-command cost vanish, small enough not to stall Redis. */
const MGET_KEYS = 500;
/** What Redis answers a GET on a key holding another type. */
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** A value, or why it could not be read (the key vanished or changed type since the scan). */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string };

export class LegacySource {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableReadyCheck: false,
      protocol: 2,
      maxRetriesPerRequest: 3,
      retryStrategy: (attempt) => (attempt > 10 ? null : Math.min(attempt * 200, 2_000)),
    });
    this.redis.on('error', () => undefined); // Surfaced by the failing command instead.
  }

  async connect(): Promise<void> {
    await this.redis.connect();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await Promise.resolve();
  }

  async scan(cursor: string, count: number): Promise<[string, string[]]> {
    return this.redis.scan(cursor, 'COUNT', count);
  }

  /**
   * SCAN … TYPE (Redis ≥ 6): only the keys of one type, filtered by the server, so the importer needs no
   * TYPE per key. null when the server does not know the option: Redis < 6 answers a syntax error.
   */
  async scanOfType(cursor: string, count: number, type: RedisType): Promise<[string, string[]] | null> {
    try {
      return await this.redis.scan(cursor, 'COUNT', count, 'TYPE', type);
    } catch (err) {
      if (/syntax error/i.test((err as Error).message)) return null;
      throw err;
    }
  }

  /** Keys in the database right now (O(1)): tells whether a walk for keys of other types is needed. */
  dbsize(): Promise<number> {
    return this.redis.dbsize();
  }

  types(keys: readonly string[]): Promise<Array<Read<RedisType>>> {
    return this.pipeline(keys, (p, k) => p.type(k)) as Promise<Array<Read<RedisType>>>;
  }

  gets(keys: readonly string[]): Promise<Array<Read<string | null>>> {
    return this.pipeline(keys, (p, k) => p.get(k)) as Promise<Array<Read<string | null>>>;
  }

  /**
   * Like gets, for many keys: MGET of a few hundred keys per command costs the importer a fraction of one
   * GET per key. MGET answers nil for a key that is no longer a string, so those (rare) nils are re-checked
   * with TYPE and reported as the GET would have been.
   */
  async mgets(keys: readonly string[]): Promise<Array<Read<string | null>>> {
    if (keys.length === 0) return [];
    const slices: string[][] = [];
    for (let i = 0; i < keys.length; i += MGET_KEYS) slices.push(keys.slice(i, i + MGET_KEYS));
    const p = this.redis.pipeline();
    for (const slice of slices) p.mget(...slice);
    const results = (await p.exec()) ?? [];
    const out: Array<Read<string | null>> = [];
    slices.forEach((slice, i) => {
      const [err, values] = results[i] ?? [new Error('no reply'), null];
      slice.forEach((_, j) => {
        if (err) out.push({ ok: false, error: err.message });
        else out.push({ ok: true, value: (values as Array<string | null>)[j] ?? null });
      });
    });
    const nils = keys.filter((_, i) => out[i]?.ok && out[i].value === null);
    if (nils.length === 0) return out;
    const types = new Map(nils.map((k, i) => [k, i]));
    const found = await this.types(nils);
    return keys.map((key, i) => {
      const t = types.has(key) ? found[types.get(key) ?? 0] : undefined;
      if (t === undefined || (t.ok && (t.value === 'none' || t.value === 'string')))
        return out[i] as Read<string | null>;
      return { ok: false, error: t.ok ? WRONGTYPE : t.error };
    });
  }

  scards(keys: readonly string[]): Promise<Array<Read<number>>> {
    return this.pipeline(keys, (p, k) => p.scard(k)) as Promise<Array<Read<number>>>;
  }

  smembers(keys: readonly string[]): Promise<Array<Read<string[]>>> {
    return this.pipeline(keys, (p, k) => p.smembers(k)) as Promise<Array<Read<string[]>>>;
  }

  hgetalls(keys: readonly string[]): Promise<Array<Read<Record<string, string>>>> {
    return this.pipeline(keys, (p, k) => p.hgetall(k)) as Promise<Array<Read<Record<string, string>>>>;
  }

  /** Every member of a large set, `count` at a time. SSCAN may repeat members; callers de-duplicate. */
  async *sscan(key: string, count: number): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, members] = await this.redis.sscan(key, cursor, 'COUNT', count);
      cursor = next;
      if (members.length > 0) yield members;
    } while (cursor !== '0');
  }

  /** Every field of a large hash, as [field, value] pairs. */
  async *hscan(key: string, count: number): AsyncGenerator<Array<[string, string]>> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', count);
      cursor = next;
      const pairs: Array<[string, string]> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i] ?? '', flat[i + 1] ?? '']);
      if (pairs.length > 0) yield pairs;
    } while (cursor !== '0');
  }

  private async pipeline(
    keys: readonly string[],
    add: (p: ReturnType<Redis['pipeline']>, key: string) => void,
  ): Promise<Array<Read<unknown>>> {
    if (keys.length === 0) return [];
    const p = this.redis.pipeline();
    for (const key of keys) add(p, key);
    const results = (await p.exec()) ?? [];
    return keys.map((_, i) => {
      const [err, value] = results[i] ?? [new Error('no reply'), null];
      return err ? { ok: false, error: err.message } : { ok: true, value };
    });
  }
}

/** The URL without its password, for logs and the report. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
