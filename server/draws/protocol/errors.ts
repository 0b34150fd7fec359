// The single error type of the draw protocol: callers branch on `code`, never on message text.

export type DrawProtocolErrorCode =
  | 'INVALID_ENTRANTS'
  | 'INVALID_USER_ID'
  | 'INVALID_SEED'
  | 'INVALID_BEACON'
  | 'INVALID_EXCLUSIONS'
  | 'INVALID_ARGUMENT'
  | 'INVALID_PROOF'
  | 'INVALID_STATE'
  | 'NO_ENTRANTS_LEFT';

export class DrawProtocolError extends Error {
  readonly code: DrawProtocolErrorCode;

  constructor(code: DrawProtocolErrorCode, message: string) {
    super(message);
    this.name = 'DrawProtocolError';
    this.code = code;
  }
}
