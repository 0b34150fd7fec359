// The operator's doctor: one table of ok / warning / failure over configuration and dependencies.
export { runDoctor, DEFAULT_TONAPI_BASE_URL, type DoctorReport } from './run-doctor.ts';
export { formatTable } from './format-table.ts';
export type { CheckResult, CheckStatus } from './check-result.ts';
