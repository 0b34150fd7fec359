// Plumbing shared by the phases: string keys read in pipelined batches, and a bounded queue of writes so the
// next batch is read from Redis while earlier ones are written to PostgreSQL.
import type { ImportReport } from './import-report.ts';
import type { LegacySource } from './legacy-source.ts';

export function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Reads string keys in pipelined batches; keys deleted since the scan are passed over. */
export async function* readStrings(
  source: LegacySource,
  report: ImportReport,
  keys: readonly string[],
  batch: number,
): AsyncGenerator<Array<[string, string]>> {
  for (const slice of slices(keys, batch)) {
    const values = await source.mgets(slice);
    const out: Array<[string, string]> = [];
    slice.forEach((key, i) => {
      const v = values[i];
      if (v?.ok && v.value !== null) out.push([key, v.value]);
      else if (v && !v.ok) report.skip(key, 'read_error', v.error);
    });
    yield out;
  }
}

/** At most `parallel` writes at once; `push` waits for room. Work must handle its own errors. */
export class WriteQueue {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly parallel: number) {}

  async push(work: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.parallel) await Promise.race(this.inFlight);
    const p = work().finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}
