// The wire contract, the SDK's only link to schema/contract: its types, the error-code table and the operation
// table's routes (plain data).
// No zod and no server code reaches the bundle; the build replaces this module's declarations with a
// self-contained copy (scripts/contract-dts.ts), so the published package stands alone.
export type * from '../../schema/contract/index.ts';
export { ERROR_CODES, ERROR_CODE_LIST } from '../../schema/contract/errors.ts';
// Where each REST operation lives (plain data, no zod): the SDK never spells a path of its own.
export { OPERATION_ROUTES, operationPath } from '../../schema/contract/operations/routes.ts';
export { WEBHOOK_EVENT_TYPES } from '../../schema/contract/webhook-event-types.ts';
