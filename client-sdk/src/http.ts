// The REST transport: URL building, auth headers (refreshed once when the server refuses the credential),
// timeouts, and turning every failure into a GiveawayError with code, status, retryAfter and request id.
import { OPERATION_ROUTES, operationPath } from './contract.ts';
import type { OperationId, RestErrorBody } from './contract.ts';
import { authHeaders, type CredentialSource } from './auth.ts';
import { CREDENTIAL_CODES, GiveawayError, codeForStatus, toGiveawayError } from './errors.ts';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query | undefined;
  json?: unknown;
  body?: RequestInit['body'];
  headers?: Record<string, string>;
  /** false for public routes (no credential is sent). */
  auth?: boolean;
  /** 'json' (default), 'text', or 'none' (204). */
  as?: 'json' | 'text' | 'none';
  signal?: AbortSignal | undefined;
}

export interface HttpResponse<T> {
  data: T;
  headers: Headers;
}

export class Http {
  constructor(
    private readonly baseUrl: string,
    private readonly credentials: CredentialSource,
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Calls one operation of the server's operation table (schema/contract/operations): its method and path come
   * from there, `params` fill its `:name` segments, and public operations go without a credential.
   */
  op<T>(
    id: OperationId,
    params: Record<string, string | number> = {},
    opts: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const route = OPERATION_ROUTES[id];
    const auth = opts.auth ?? route.auth === 'user';
    return this.request<T>(route.method.toUpperCase(), operationPath(id, params), { ...opts, auth });
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    let credential = opts.auth === false ? null : await this.credentials.current();
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(method, path, opts, authHeaders(credential));
      if (res.ok) return { data: await readBody<T>(res, opts.as ?? 'json'), headers: res.headers };
      const error = await errorFrom(res);
      // A refused credential is worth one retry when the auth function produces a different one.
      const next =
        attempt === 0 && CREDENTIAL_CODES.has(error.code) ? await this.credentials.replace(credential) : null;
      if (!next) throw error;
      credential = next;
    }
  }

  private async send(method: string, path: string, opts: RequestOptions, auth: Record<string, string>) {
    const url = new URL(/^https?:\/\//.test(path) ? path : this.baseUrl.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...auth, ...opts.headers };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? anySignal([opts.signal, timeout]) : timeout;
    try {
      return await this.fetchFn(url, { method, headers, body: body ?? null, signal });
    } catch (err) {
      const timedOut = timeout.aborted && !opts.signal?.aborted;
      throw toGiveawayError(
        timedOut ? new Error(`${method} ${path} timed out after ${this.timeoutMs} ms`) : err,
        `${method} ${path} failed`,
      );
    }
  }
}

async function readBody<T>(res: Response, as: 'json' | 'text' | 'none'): Promise<T> {
  if (as === 'none' || res.status === 204) return undefined as T;
  return (as === 'text' ? await res.text() : await res.json()) as T;
}

async function errorFrom(res: Response): Promise<GiveawayError> {
  let body: Partial<RestErrorBody> = {};
  try {
    body = (await res.json()) as Partial<RestErrorBody>;
  } catch {
    // Not our JSON (a proxy page): the status decides the code.
  }
  const header = Number(res.headers.get('Retry-After'));
  const retryAfter =
    typeof body.retry_after === 'number' ? body.retry_after : header > 0 ? header : undefined;
  return new GiveawayError(body.error ?? `HTTP ${res.status}`, {
    code: body.code ?? codeForStatus(res.status),
    status: res.status,
    retryAfter,
    requestId: res.headers.get('X-Request-Id') ?? undefined,
    details: body.details,
  });
}

function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
