// The end-of-run summary for a terminal: rows per table, skips by reason, clamps by field, status mapping
// and the source's own inconsistencies. The JSON report has the same numbers plus every key.
import { ENTITIES, type ImportReportJson } from './import-report.ts';

const n = (v: number) => v.toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function counts(title: string, entries: Record<string, number>): string {
  const rows = Object.entries(entries).map(([k, v]) => [k, n(v)]);
  return rows.length === 0 ? `${title}: none` : table([title, 'count'], rows);
}

export function renderSummary(r: ImportReportJson): string {
  const rows = ENTITIES.filter((e) => r.imported[e] + r.updated[e] > 0).map((e) => [
    e,
    n(r.imported[e]),
    n(r.updated[e]),
  ]);
  const checks = r.source_checks;
  return [
    '',
    `Legacy import${r.dry_run ? ' (DRY RUN: nothing was written)' : ''} from ${r.source}`,
    `${n(r.keys.scanned)} keys read in ${(r.duration_ms / 1000).toFixed(1)} s (batch ${r.settings.batch}, ` +
      `${r.settings.writers} writer(s)${r.settings.disable_triggers ? ', participant foreign-key checks off' : ''})`,
    '',
    rows.length === 0
      ? 'Nothing to import or update: the target already matches the source.'
      : table(['table', 'imported', 'updated'], rows),
    '',
    counts(`skipped (${n(r.skipped.total)})`, r.skipped.by_reason),
    '',
    counts(`clamped (${n(r.clamped.total)})`, r.clamped.by_field),
    '',
    counts('status (legacy→ours)', r.status_mapping),
    '',
    `source checks: ${n(checks.status_set_drift)} giveaways filed in the wrong status set, ` +
      `${n(checks.status_set_orphans)} status-set id(s) without a giveaway, ` +
      `${n(checks.participant_counter_drift)} join counter(s) disagreeing with the participant set`,
    '',
  ].join('\n');
}
