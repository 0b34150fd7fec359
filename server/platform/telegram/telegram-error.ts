// One error type for every failed Bot API call, classified once, so services decide on `kind` (retry, defer,
// give up, record a block) without importing grammY. Messages never carry the token or a request URL.

export type TelegramErrorKind =
  /** 429: Telegram asks us to wait `retryAfterSec`. */
  | 'rate_limited'
  /** 403: blocked by the user, kicked from the chat, or not allowed to write there. */
  | 'forbidden'
  /** 400 about a chat, user or file that does not exist (or the bot cannot see). */
  | 'not_found'
  /** Any other 400: our request was wrong (bad HTML, too long); retrying cannot help. */
  | 'bad_request'
  /** 401/404: the token is wrong. */
  | 'unauthorized'
  /** 5xx from Telegram. */
  | 'server'
  /** No answer: connection refused, reset, timed out. The request may or may not have been processed. */
  | 'network';

export class TelegramError extends Error {
  constructor(
    readonly kind: TelegramErrorKind,
    readonly method: string,
    readonly description: string,
    readonly errorCode?: number,
    readonly retryAfterSec?: number,
  ) {
    super(`Telegram ${method}: ${description}`);
    this.name = 'TelegramError';
  }

  /** Worth another try later (the same request may succeed). */
  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network';
  }
}

const NOT_FOUND =
  /chat not found|user not found|member not found|PARTICIPANT_ID_INVALID|USER_ID_INVALID|file not found|invalid file_id|wrong file_id|CHANNEL_INVALID|USERNAME_NOT_OCCUPIED|USERNAME_INVALID|PEER_ID_INVALID/i;

/** Classifies an `ok: false` answer of the Bot API. */
export function classifyApiError(
  method: string,
  errorCode: number,
  description: string,
  retryAfterSec?: number,
): TelegramError {
  const text = description.slice(0, 300);
  if (errorCode === 429) return new TelegramError('rate_limited', method, text, 429, retryAfterSec ?? 1);
  if (errorCode === 403) return new TelegramError('forbidden', method, text, 403);
  if (errorCode === 401 || errorCode === 404)
    return new TelegramError('unauthorized', method, text, errorCode);
  if (errorCode >= 500) return new TelegramError('server', method, text, errorCode);
  if (NOT_FOUND.test(text)) return new TelegramError('not_found', method, text, errorCode);
  return new TelegramError('bad_request', method, text, errorCode);
}

/** "bot was blocked by the user" and friends: the recipient cannot be messaged until they act. */
export function isUnreachableRecipient(err: unknown): err is TelegramError {
  return err instanceof TelegramError && err.kind === 'forbidden';
}
