// The whole import, phase by phase: inventory (SCAN … TYPE) with the users written as it finds them,
// channels, prizes, win records and status sets, then giveaways with everything hanging off them. The
// target schema must be current; the CLI applies migrations first (a dry run refuses to, and needs them
// applied already).
import type pg from 'pg';
import { importChannels, importPrizes, loadStatusSets, loadWinRecords } from './catalog-import.ts';
import { importGiveaways } from './giveaway-import.ts';
import { ImportReport, type ImportReportJson } from './import-report.ts';
import { dryRunTarget, liveTarget, type ImportTarget } from './import-target.ts';
import { buildInventory } from './key-inventory.ts';
import { LegacySource, redactRedisUrl } from './legacy-source.ts';
import { normalizeUuid } from './legacy-values.ts';
import { chooseReferenceChecks } from './participants.queries.ts';
import { silentProgress, type ProgressSink } from './progress.ts';
import { UserImport } from './user-import.ts';

export interface ImportOptions {
  /** redis://host:port/db of the legacy keyspace (a copy of production, ideally). */
  from: string;
  pool: pg.Pool;
  dryRun?: boolean;
  /** Keys per Redis pipeline and rows per COPY (default 20000: with COPY, larger batches cost less). */
  batch?: number;
  /** Writes in flight at once (default 2; always 1 in a dry run). */
  writers?: number;
  /**
   * Skip the foreign-key checks of the participants insert (pg_restore's --disable-triggers): about twice
   * as fast; needs a superuser and a target nobody else writes to during the import.
   */
  disableTriggers?: boolean;
  /** Testing aid: pause after each participant batch. */
  slowMs?: number;
  progress?: ProgressSink;
}

export const DEFAULT_BATCH = 20_000;

export async function runImport(opts: ImportOptions): Promise<ImportReportJson> {
  const batch = Math.max(1, opts.batch ?? DEFAULT_BATCH);
  const dryRun = opts.dryRun ?? false;
  const writers = dryRun ? 1 : Math.max(1, opts.writers ?? 2);
  const disableTriggers = opts.disableTriggers ?? false;
  const progress = opts.progress ?? silentProgress;
  const checks = await chooseReferenceChecks(opts.pool, disableTriggers);
  const report = new ImportReport(redactRedisUrl(opts.from), {
    dry_run: dryRun,
    batch,
    writers,
    disable_triggers: disableTriggers,
  });
  const source = new LegacySource(opts.from);
  await source.connect();
  let target: ImportTarget | undefined;
  try {
    target = dryRun ? await dryRunTarget(opts.pool) : liveTarget(opts.pool, writers);
    const deps = { source, target, report, progress, batch };

    progress.phase('scan', 'keys');
    let scannedSoFar = 0;
    // Users are read and written while the scan finds them (their own phase shows what is left after it).
    const users = new UserImport(deps);
    const inv = await buildInventory(source, report, {
      scanned: (scanned) => {
        progress.advance(scanned - scannedSoFar);
        scannedSoFar = scanned;
      },
      user: (uid) => users.add(uid),
    }).catch(async (err: unknown) => {
      await users.stop();
      throw err;
    });
    const knownUsers = await users.finish(inv.users.size);
    const channelTitles = await importChannels(deps, inv);
    const prizes = await importPrizes(deps, inv);
    const giveawayIds = new Set(
      [...inv.giveaways.values()].filter((g) => g.main).map((g) => normalizeUuid(g.rawId) ?? g.rawId),
    );
    const winRecords = await loadWinRecords(deps, inv, (id) => giveawayIds.has(id));
    const statusSets = await loadStatusSets(deps, inv);
    const mapping = { prizes, channelTitles };
    const phase = { ...deps, knownUsers, mapping, winRecords, statusSets };
    await importGiveaways({ ...phase, slowMs: opts.slowMs, checks }, inv);
    progress.end();
    return report.toJSON();
  } finally {
    await target?.close();
    await source.close();
  }
}
