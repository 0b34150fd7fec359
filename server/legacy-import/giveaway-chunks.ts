// Which giveaways to import and in what groups: ids checked (UUIDs only, one spelling each), side keys of
// giveaways that no longer exist reported as orphans, then sorted chunks sized by participant count, each
// read from Redis with a few pipelines (JSON values, tickets hashes, and small participant sets).
import type { ImportReport } from './import-report.ts';
import { keyOf, type GiveawayKeys, type Inventory } from './key-inventory.ts';
import type { GiveawaySource } from './giveaway-mapping.ts';
import type { LegacyWinRecord } from './legacy-records.ts';
import type { LegacySource } from './legacy-source.ts';
import { normalizeUuid } from './legacy-values.ts';

export interface GiveawayEntry {
  id: string;
  keys: GiveawayKeys;
}

/** At most this many giveaways per chunk, whatever their size: bounds one transaction's work. */
const MAX_CHUNK_GIVEAWAYS = 200;

function sideKeys(k: GiveawayKeys): string[] {
  return [
    ...(k.requirements ? [keyOf.requirements(k.rawId)] : []),
    ...(k.participants !== null ? [keyOf.participants(k.rawId)] : []),
    ...(k.tickets ? [keyOf.tickets(k.rawId)] : []),
    ...(k.winners ? [keyOf.winners(k.rawId)] : []),
    ...(k.counter ? [keyOf.counter(k.rawId)] : []),
    ...(k.preWinnerList ? [keyOf.preWinnerList(k.rawId)] : []),
  ];
}

export function listGiveaways(inv: Inventory, report: ImportReport): GiveawayEntry[] {
  const byId = new Map<string, GiveawayEntry>();
  // Sorted by spelling first, so which of two spellings of one UUID is kept does not depend on SCAN order.
  const spellings = [...inv.giveaways.values()].sort((a, b) =>
    a.rawId < b.rawId ? -1 : a.rawId > b.rawId ? 1 : 0,
  );
  for (const keys of spellings) {
    const id = normalizeUuid(keys.rawId);
    const all = [...(keys.main ? [keyOf.giveaway(keys.rawId)] : []), ...sideKeys(keys)];
    if (id === null) {
      for (const key of all) report.skip(key, 'invalid_giveaway_id', 'not a UUID');
    } else if (!keys.main) {
      for (const key of all) report.skip(key, 'orphan_no_giveaway');
    } else if (byId.has(id)) {
      for (const key of all)
        report.skip(key, 'duplicate_giveaway_id', `same UUID as giveaway:${byId.get(id)?.keys.rawId}`);
    } else {
      byId.set(id, { id, keys });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Chunks of consecutive giveaways holding about `batch` participants (a big giveaway is a chunk alone). */
export function* planChunks(entries: readonly GiveawayEntry[], batch: number): Generator<GiveawayEntry[]> {
  let chunk: GiveawayEntry[] = [];
  let rows = 0;
  for (const e of entries) {
    const size = e.keys.participants ?? 0;
    if (chunk.length > 0 && (rows + size > batch || chunk.length >= MAX_CHUNK_GIVEAWAYS)) {
      yield chunk;
      chunk = [];
      rows = 0;
    }
    chunk.push(e);
    rows += size;
  }
  if (chunk.length > 0) yield chunk;
}

export interface FetchedGiveaway {
  entry: GiveawayEntry;
  src: GiveawaySource;
  /** null: the set is large and is streamed with SSCAN while writing. */
  members: string[] | null;
  tickets: Record<string, string> | null;
  counter: string | null;
}

export async function fetchChunk(
  source: LegacySource,
  chunk: readonly GiveawayEntry[],
  batch: number,
  winRecords: ReadonlyMap<string, LegacyWinRecord[]>,
  report: ImportReport,
): Promise<FetchedGiveaway[]> {
  const stringKeys = chunk.flatMap(({ keys: k }) => [
    keyOf.giveaway(k.rawId),
    ...(k.requirements ? [keyOf.requirements(k.rawId)] : []),
    ...(k.winners ? [keyOf.winners(k.rawId)] : []),
    ...(k.counter ? [keyOf.counter(k.rawId)] : []),
    ...(k.preWinnerList ? [keyOf.preWinnerList(k.rawId)] : []),
  ]);
  const small = chunk.filter((e) => e.keys.participants !== null && e.keys.participants <= batch);
  const withTickets = chunk.filter((e) => e.keys.tickets);
  const [strings, sets, hashes] = await Promise.all([
    source.gets(stringKeys),
    source.smembers(small.map((e) => keyOf.participants(e.keys.rawId))),
    source.hgetalls(withTickets.map((e) => keyOf.tickets(e.keys.rawId))),
  ]);
  const value = new Map<string, string | null>();
  stringKeys.forEach((key, i) => {
    const r = strings[i];
    if (r?.ok) value.set(key, r.value);
    else report.skip(key, 'read_error', r?.error);
  });
  const members = new Map<string, string[]>();
  small.forEach((e, i) => {
    const r = sets[i];
    if (r?.ok) members.set(e.id, r.value);
    else report.skip(keyOf.participants(e.keys.rawId), 'read_error', r?.error);
  });
  const tickets = new Map<string, Record<string, string>>();
  withTickets.forEach((e, i) => {
    const r = hashes[i];
    if (r?.ok) tickets.set(e.id, r.value);
    else report.skip(keyOf.tickets(e.keys.rawId), 'read_error', r?.error);
  });
  const out: FetchedGiveaway[] = [];
  for (const entry of chunk) {
    const raw = entry.keys.rawId;
    const main = value.get(keyOf.giveaway(raw));
    if (main === undefined || main === null) continue; // Deleted since the scan, or unreadable (reported).
    const opt = (key: string) => value.get(key) ?? null;
    out.push({
      entry,
      src: {
        id: entry.id,
        rawId: raw,
        main,
        requirements: opt(keyOf.requirements(raw)),
        winners: opt(keyOf.winners(raw)),
        preWinnerList: opt(keyOf.preWinnerList(raw)),
        winRecords: winRecords.get(entry.id) ?? [],
      },
      members: entry.keys.participants === null ? [] : (members.get(entry.id) ?? null),
      tickets: tickets.get(entry.id) ?? null,
      counter: opt(keyOf.counter(raw)),
    });
  }
  return out;
}
