// Bad data must not stop the run: a unit of work that fails as a group is retried item by item, and only
// the items that still fail are reported (with their key) and left out.
import type { ImportReport } from './import-report.ts';

export async function isolate<T>(
  report: ImportReport,
  items: readonly T[],
  keyOf: (item: T) => string,
  work: (group: T[]) => Promise<void>,
): Promise<T[]> {
  if (items.length === 0) return [];
  try {
    await work([...items]);
    return [...items];
  } catch (err) {
    if (items.length === 1) {
      report.skip(keyOf(items[0] as T), 'db_error', errorText(err));
      return [];
    }
  }
  const ok: T[] = [];
  for (const item of items) {
    try {
      await work([item]);
      ok.push(item);
    } catch (err) {
      report.skip(keyOf(item), 'db_error', errorText(err));
    }
  }
  return ok;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}
