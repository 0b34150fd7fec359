// Credentials: Telegram Mini App init-data or an API key, given once or produced by a function the SDK calls
// again whenever the last one was refused (and on every socket reconnect), so an expired one never loops.

/**
 * A credential: `{ initData }` (Telegram.WebApp.initData) or `{ apiKey }` (a `gwk_…` key).
 *
 * @example
 * const credential: Credential = { initData: Telegram.WebApp.initData };
 */
export type Credential = { initData: string } | { apiKey: string };

/**
 * How the client authenticates: a credential, a function returning a fresh one, or nothing (a read-only viewer
 * that may watch giveaways but not call authenticated routes).
 *
 * @example
 * createClient({ baseUrl, auth: () => ({ initData: Telegram.WebApp.initData }) });
 * createClient({ baseUrl, auth: { apiKey: process.env.GIVEAWAY_API_KEY! } });
 */
export type AuthOption = Credential | (() => Credential | null | Promise<Credential | null>) | null;

const same = (a: Credential | null, b: Credential | null): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Holds the current credential and refreshes it through the auth function. */
export class CredentialSource {
  private cached: Credential | null | undefined;
  private refreshing: Promise<Credential | null> | undefined;

  constructor(private readonly auth: AuthOption | undefined) {}

  /** No credential at all: a read-only viewer. */
  get anonymous(): boolean {
    return this.auth === undefined || this.auth === null;
  }

  get refreshable(): boolean {
    return typeof this.auth === 'function';
  }

  /** The credential to use now (the function is called only when nothing is cached). */
  async current(): Promise<Credential | null> {
    if (this.cached !== undefined) return this.cached;
    return this.fresh();
  }

  /** Calls the auth function again (concurrent callers share one call); static credentials are returned as is. */
  fresh(): Promise<Credential | null> {
    if (typeof this.auth !== 'function') return Promise.resolve(this.auth ?? null);
    const call = this.auth;
    this.refreshing ??= (async () => {
      try {
        this.cached = (await call()) ?? null;
        return this.cached;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** After `rejected` was refused: a different credential to try, or null when the function has none. */
  async replace(rejected: Credential | null): Promise<Credential | null> {
    if (!this.refreshable) return null;
    const next = same(this.cached ?? null, rejected) ? await this.fresh() : (this.cached ?? null);
    return next && !same(next, rejected) ? next : null;
  }
}

/** REST headers for a credential. */
export function authHeaders(credential: Credential | null): Record<string, string> {
  if (!credential) return {};
  if ('initData' in credential) return { 'X-Telegram-Init-Data': credential.initData };
  return { Authorization: `Bearer ${credential.apiKey}` };
}
