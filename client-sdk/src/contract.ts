// The wire contract, the SDK's only link to schema/contract: its types, and the error-code table (plain data).
// No zod and no server code reaches the bundle; the build replaces this module's declarations with a
// self-contained copy (scripts/contract-dts.ts), so the published package stands alone.
export type * from '../../schema/contract/index.ts';
// Not re-exported by the contract's index (yet).
export type * from '../../schema/contract/telegram.ts';
export { ERROR_CODES, ERROR_CODE_LIST } from '../../schema/contract/errors.ts';
