// One row of the doctor's table: what was checked, how it went, and what to do about it.
export type CheckStatus = 'ok' | 'warning' | 'failure';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do; empty when the status is ok. */
  fix: string;
}

export const ok = (check: string, detail: string): CheckResult => ({ check, status: 'ok', detail, fix: '' });
export const warning = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'warning',
  detail,
  fix,
});
export const failure = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'failure',
  detail,
  fix,
});

/** An error's message, short enough for a table cell. */
export function reason(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; errors?: Array<{ message?: unknown }> };
  const message =
    typeof e.message === 'string' && e.message ? e.message : String(e.errors?.[0]?.message ?? err);
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}

/** fetch with a deadline: a hanging dependency must not hang the doctor. */
export async function fetchWithin(url: string, ms: number, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}
