// @giveaway/client-sdk: typed client for the giveaway server. It re-exports the wire contract's types and
// constants (never zod, never server code), so apps share the server's error codes exactly.
export { ERROR_CODES, ERROR_CODE_LIST } from '../../schema/contract/errors.ts';
export type { ErrorCode, ErrorPayload, RestErrorBody } from '../../schema/contract/errors.ts';
