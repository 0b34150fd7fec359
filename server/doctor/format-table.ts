// The doctor's table: one row per check, status first so a failure stands out, the fix beside it.
import type { CheckResult } from './check-result.ts';

const MARK = { ok: 'ok', warning: 'warning', failure: 'FAILURE' } as const;

export function formatTable(rows: readonly CheckResult[]): string {
  const header = ['status', 'check', 'detail', 'fix'];
  const cells = rows.map((r) => [MARK[r.status], r.check, r.detail, r.fix]);
  const widths = header.map((h, i) =>
    Math.min(60, Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length))),
  );
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const failures = rows.filter((r) => r.status === 'failure').length;
  const warnings = rows.filter((r) => r.status === 'warning').length;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `${failures} failure(s), ${warnings} warning(s)`,
    '',
  ].join('\n');
}
