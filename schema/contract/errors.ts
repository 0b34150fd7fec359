// The closed set of error codes every transport speaks (REST body, socket ack, SDK).
// Adding a code means adding its row here; HTTP status and retry advice live beside it so they cannot drift.

export const ERROR_CODES = {
  VALIDATION: { status: 400, retry: 'never', summary: 'The request is malformed or a field is invalid.' },
  UNAUTHORIZED: { status: 401, retry: 'never', summary: 'Authentication is missing.' },
  INIT_DATA_INVALID: {
    status: 401,
    retry: 'never',
    summary: 'Telegram init-data failed its signature check.',
  },
  INIT_DATA_EXPIRED: {
    status: 401,
    retry: 'never',
    summary: 'Telegram init-data is older than INIT_DATA_TTL.',
  },
  API_KEY_INVALID: { status: 401, retry: 'never', summary: 'The API key is unknown or revoked.' },
  FORBIDDEN: { status: 403, retry: 'never', summary: 'The caller may not do this.' },
  USER_BANNED: { status: 403, retry: 'never', summary: 'The user is banned.' },
  REQUIREMENTS_NOT_MET: { status: 403, retry: 'never', summary: 'A giveaway requirement is not met.' },
  NOT_FOUND: { status: 404, retry: 'never', summary: 'No such resource.' },
  CONFLICT: { status: 409, retry: 'never', summary: 'The resource is in a state that forbids this.' },
  INVALID_TRANSITION: { status: 409, retry: 'never', summary: 'The status change is not allowed.' },
  GIVEAWAY_CLOSED: { status: 409, retry: 'never', summary: 'The giveaway does not accept entries.' },
  GIVEAWAY_FULL: { status: 409, retry: 'never', summary: 'The giveaway reached max_participants.' },
  PAYLOAD_TOO_LARGE: { status: 413, retry: 'never', summary: 'The request body is too large.' },
  UNSUPPORTED: { status: 422, retry: 'never', summary: 'The feature is not supported.' },
  RATE_LIMITED: {
    status: 429,
    retry: 'backoff',
    summary: 'Too many requests; retry after retry_after seconds.',
  },
  REQUIREMENTS_UNKNOWN: {
    status: 503,
    retry: 'backoff',
    summary: 'A requirement could not be checked right now.',
  },
  UNAVAILABLE: { status: 503, retry: 'backoff', summary: 'A dependency is down; retry later.' },
  INTERNAL: { status: 500, retry: 'backoff', summary: 'Unexpected server error.' },
} as const satisfies Record<string, { status: number; retry: 'never' | 'backoff' | 'now'; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** The wire shape of an error in socket acks and SDK errors. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  retry_after?: number;
  details?: unknown;
}

/** The REST error body: the legacy `{error}` field kept for the Mini App, plus our `code`. */
export interface RestErrorBody {
  error: string;
  code: ErrorCode;
  retry_after?: number;
  details?: unknown;
}
