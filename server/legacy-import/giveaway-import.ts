// Phase 5, chunk by chunk: map each giveaway, write its row and definition (one transaction per chunk),
// stream its participants, then write what depends on them (giveaway-results.ts). Every step is an
// idempotent upsert, so a run killed anywhere and restarted ends in the same state as a clean run.
import type pg from 'pg';
import { insertPlaceholderUsers, upsertSponsors } from './catalog.queries.ts';
import type { PhaseDeps } from './catalog-import.ts';
import { fetchChunk, listGiveaways, planChunks, type FetchedGiveaway } from './giveaway-chunks.ts';
import { mapGiveaway, type GiveawayPlan, type MappingContext } from './giveaway-mapping.ts';
import {
  isTakenOver,
  planDefinitions,
  replacePrizes,
  replaceRequirements,
  replaceSponsors,
  selectDefinitions,
  selectStoredStates,
  upsertGiveaways,
} from './giveaway-rows.queries.ts';
import { writeResults } from './giveaway-results.ts';
import type { IdSet } from './id-set.ts';
import type { Entity } from './import-report.ts';
import { keyOf, type Inventory } from './key-inventory.ts';
import type { LegacyWinRecord } from './legacy-records.ts';
import { parseUserId } from './legacy-values.ts';
import { ParticipantWriter } from './participant-writer.ts';
import type { ReferenceChecks } from './participants.queries.ts';
import { expectedStatusSet } from './status-mapping.ts';
import { isolate } from './isolate.ts';

type Count = ['imported' | 'updated', Entity, number];

export interface GiveawayPhaseDeps extends PhaseDeps {
  knownUsers: IdSet;
  mapping: Omit<MappingContext, 'report'>;
  winRecords: ReadonlyMap<string, LegacyWinRecord[]>;
  statusSets: ReadonlyMap<string, Set<string>>;
  slowMs?: number;
  checks?: ReferenceChecks;
}

/** A mapped giveaway with its fetched side data, and whether this run inserted its row. */
export interface Prepared {
  plan: GiveawayPlan;
  fetched: FetchedGiveaway;
  inserted: boolean;
}

export async function importGiveaways(deps: GiveawayPhaseDeps, inv: Inventory): Promise<void> {
  const entries = listGiveaways(inv, deps.report);
  checkStatusSetOrphans(deps, new Set(entries.map((e) => e.id)));
  const total = entries.reduce((n, e) => n + (e.keys.participants ?? 0), 0);
  deps.progress.phase('giveaways', 'participants', total);
  let giveawaysDone = 0;
  const writer = new ParticipantWriter({
    target: deps.target,
    report: deps.report,
    knownUsers: deps.knownUsers,
    batch: deps.batch,
    slowMs: deps.slowMs,
    checks: deps.checks,
    onWritten: (rows) => deps.progress.advance(rows),
  });
  // A chunk's results need its participants committed, but the next chunk's participants need not wait for
  // those results: the writers stay busy across chunk boundaries, and results are written one chunk at a
  // time, in order, as soon as their participants are in.
  let results: Promise<void> = Promise.resolve();
  for (const chunk of planChunks(entries, deps.batch)) {
    const fetched = await fetchChunk(deps.source, chunk, deps.batch, deps.winRecords, deps.report);
    const prepared = await writeDefinitions(deps, fetched);
    for (const p of prepared) await streamParticipants(deps, writer, p);
    const participantsIn = (await writer.settle()).done;
    const previous = results;
    results = (async () => {
      await Promise.all([participantsIn, previous]);
      await writeResults(deps, prepared);
      giveawaysDone += chunk.length;
      deps.progress.note(
        `${giveawaysDone.toLocaleString('en-US')}/${entries.length.toLocaleString('en-US')} giveaways`,
      );
      deps.progress.skipped(deps.report.skippedTotal);
    })();
    // Handled here so a failure is not an unhandled rejection before the loop awaits it below.
    results.catch(() => undefined);
  }
  await results;
}

function checkStatusSetOrphans(deps: GiveawayPhaseDeps, ids: Set<string>): void {
  for (const [id, sets] of deps.statusSets) {
    if (!ids.has(id))
      deps.report.sourceCheck('status_set_orphans', `${id} in giveaways:${[...sets].join(',')}`);
  }
}

async function writeDefinitions(deps: GiveawayPhaseDeps, fetched: FetchedGiveaway[]): Promise<Prepared[]> {
  const ctx: MappingContext = { ...deps.mapping, report: deps.report };
  const mapped: Array<{ plan: GiveawayPlan; fetched: FetchedGiveaway }> = [];
  for (const f of fetched) {
    const plan = mapGiveaway(f.src, ctx);
    if (!plan) continue;
    checkSource(deps, plan, f);
    mapped.push({ plan, fetched: f });
  }
  if (mapped.length === 0) return [];
  const ids = mapped.map((m) => m.plan.row.id);
  const stored = await deps.target.run((q) => selectStoredStates(q, ids));
  const fresh = mapped.filter(({ plan }) => {
    if (!isTakenOver(stored.get(plan.row.id), plan.row)) return true;
    deps.report.skip(plan.key, 'taken_over_by_new_server', `now ${stored.get(plan.row.id)?.status ?? '?'}`);
    return false;
  });
  const out: Prepared[] = [];
  await isolate(
    deps.report,
    fresh,
    (m) => m.plan.key,
    async (group) => {
      const done = await deps.target.tx((tx) => writeDefinitionRows(tx, group, deps.knownUsers));
      for (const u of done.placeholders) deps.knownUsers.add(u);
      for (const [kind, entity, n] of done.counts) deps.report.add(kind, entity, n);
      for (const m of group) out.push({ ...m, inserted: done.inserted.has(m.plan.row.id) });
    },
  );
  return out;
}

const CHILD_ENTITY = {
  requirements: 'requirements',
  prizes: 'giveaway_prizes',
  sponsors: 'giveaway_sponsors',
} as const satisfies Record<string, Entity>;

/** One chunk's transaction: placeholders, sponsors, giveaway rows, and the definition lists that differ. */
async function writeDefinitionRows(
  tx: pg.ClientBase,
  group: Array<{ plan: GiveawayPlan; fetched: FetchedGiveaway }>,
  knownUsers: IdSet,
): Promise<{ placeholders: number[]; inserted: Set<string>; counts: Count[] }> {
  const plans = group.map((m) => m.plan);
  const users = new Set(plans.flatMap((p) => [p.row.creator_id, ...p.winners.map((w) => w.userId)]));
  const placeholders = [...users].filter((u) => !knownUsers.has(u)).sort((a, b) => a - b);
  const counts: Count[] = [['imported', 'placeholder_users', await insertPlaceholderUsers(tx, placeholders)]];
  const sponsors = await upsertSponsors(tx, dedupe(plans.flatMap((p) => p.sponsors)));
  counts.push(['imported', 'sponsors', sponsors.inserted], ['updated', 'sponsors', sponsors.updated]);
  const hints = group.map((m) => participantsHint(m.fetched));
  const rows = await upsertGiveaways(
    tx,
    plans.map((p) => p.row),
    hints,
  );
  const inserted = new Set(rows.filter((r) => r.inserted).map((r) => r.id));
  counts.push(
    ['imported', 'giveaways', inserted.size],
    ['updated', 'giveaways', rows.length - inserted.size],
  );

  const stored = await selectDefinitions(
    tx,
    plans.map((p) => p.row.id),
  );
  const planned = new Map(plans.map((p) => [p.row.id, planDefinitions(p)]));
  const replace = { requirements: replaceRequirements, prizes: replacePrizes, sponsors: replaceSponsors };
  for (const part of ['requirements', 'prizes', 'sponsors'] as const) {
    const differing = plans.filter((p) => stored.get(p.row.id)?.[part] !== planned.get(p.row.id)?.[part]);
    await replace[part](tx, differing);
    // Child rows of a giveaway new in this run count as imported, of an existing one as updated.
    for (const p of differing) {
      counts.push([inserted.has(p.row.id) ? 'imported' : 'updated', CHILD_ENTITY[part], p[part].length]);
    }
  }
  return { placeholders, inserted, counts };
}

/**
 * participants_count written with a new row: exact for sets read whole (so no second write bumps the
 * version and updated_at), the set size for streamed ones (corrected after their participants are in).
 */
function participantsHint(f: FetchedGiveaway): number {
  if (f.members === null) return f.entry.keys.participants ?? 0;
  return f.members.reduce((n, m) => (parseUserId(m) === null ? n : n + 1), 0);
}

function dedupe<T extends { id: number }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}

/** What the source disagrees with itself about: the status sets and the join counter. */
function checkSource(deps: GiveawayPhaseDeps, plan: GiveawayPlan, f: FetchedGiveaway): void {
  const sets = deps.statusSets.get(plan.row.id) ?? new Set<string>();
  const expected = expectedStatusSet(plan.legacyStatus);
  if ((expected !== null && !sets.has(expected)) || sets.size > 1) {
    deps.report.sourceCheck(
      'status_set_drift',
      `${plan.row.id}: JSON ${plan.legacyStatus}, sets ${[...sets].join(',') || 'none'}`,
    );
  }
  const scard = f.entry.keys.participants ?? 0;
  if (f.counter !== null && Number(f.counter) !== scard) {
    deps.report.sourceCheck(
      'participant_counter_drift',
      `${plan.row.id}: counter ${f.counter}, set ${scard}`,
    );
  }
}

async function streamParticipants(
  deps: GiveawayPhaseDeps,
  writer: ParticipantWriter,
  p: Prepared,
): Promise<void> {
  const { fetched, plan } = p;
  const key = keyOf.participants(fetched.entry.keys.rawId);
  const joinedAt = plan.row.created_at.toISOString();
  const take = async (members: string[]) => {
    const ids: number[] = [];
    for (const m of members) {
      const id = parseUserId(m);
      if (id === null) deps.report.skip(key, 'invalid_user_id', m.slice(0, 40));
      else ids.push(id);
    }
    await writer.add(plan.row.id, key, joinedAt, p.inserted, ids);
  };
  if (fetched.members !== null) return take(fetched.members);
  try {
    for await (const members of deps.source.sscan(key, deps.batch)) await take(members);
  } catch (err) {
    deps.report.skip(key, 'read_error', (err as Error).message);
  }
}
