// Phase 1: walks the whole keyspace with SCAN (never KEYS) and sorts key names into an inventory, each with
// its Redis type. Only names and set sizes are kept; values are read later, batch by batch. Keys of an
// unknown shape or of the wrong type are reported here and never read.
import {
  EXPECTED_TYPE,
  classifyKey,
  type ChannelField,
  type RedisType,
  type StatusSetName,
} from './legacy-keys.ts';
import type { ImportReport } from './import-report.ts';
import type { LegacySource } from './legacy-source.ts';

export interface GiveawayKeys {
  /** The id as spelled in the keys (may differ in case from the UUID we store). */
  rawId: string;
  main: boolean;
  requirements: boolean;
  /** SCARD of the participants set, when there is one. */
  participants: number | null;
  tickets: boolean;
  winners: boolean;
  counter: boolean;
  preWinnerList: boolean;
}

export interface ChannelKeys {
  fields: Set<ChannelField>;
  info: boolean;
}

export interface Inventory {
  giveaways: Map<string, GiveawayKeys>;
  users: Set<string>;
  userChannels: Set<string>;
  channels: Map<string, ChannelKeys>;
  prizes: Set<string>;
  winRecords: Set<string>;
  statusSets: Set<StatusSetName>;
}

/**
 * Keys per SCAN call. 10k rather than 1k: four walks over 240k keys are ~100 round trips instead of ~1,000
 * (scan phase 3.8–4.1 → 3.4–3.9 s in bench/legacy-import); a call still holds the legacy Redis only a few ms.
 */
const SCAN_COUNT = 10_000;
/** The types of every key the importer reads; any other type only ever ends up in the report. */
const READ_TYPES: readonly RedisType[] = ['string', 'set', 'hash'];

/** What the inventory needs of the legacy Redis (a LegacySource; tests pass a Redis 5 stand-in). */
export type KeySource = Pick<LegacySource, 'scan' | 'scanOfType' | 'types' | 'scards' | 'dbsize'>;

export interface InventoryListener {
  /** Keys filed so far. */
  scanned(n: number): void;
  /** A `user:{uid}` record found (once per uid), so users can be imported while the scan goes on. */
  user(uid: string): void;
}

export async function buildInventory(
  source: KeySource,
  report: ImportReport,
  listener: InventoryListener,
): Promise<Inventory> {
  const inv: Inventory = {
    giveaways: new Map(),
    users: new Set(),
    userChannels: new Set(),
    channels: new Map(),
    prizes: new Set(),
    winRecords: new Set(),
    statusSets: new Set(),
  };
  let scanned = 0;
  const fileAll = (keys: readonly string[], typeOf: (i: number) => string) => {
    keys.forEach((key, i) => file(inv, report, listener, key, typeOf(i)));
    scanned += keys.length;
    listener.scanned(scanned);
  };
  const typed = await scanByType(source, fileAll);
  if (!typed) await scanWithTypeCalls(source, () => true, fileAll);
  await countParticipants(source, inv);
  return inv;
}

/**
 * One SCAN … TYPE pass per type the importer reads, so the type of nearly every key comes with its name
 * (a TYPE per key was most of the scan's cost). Keys of the other types (lists, sorted sets, streams,
 * module types) must still be reported exactly as before, so a last untyped pass asks TYPE about the names
 * no typed pass returned: normally none or a few. That pass is skipped when the typed passes already account
 * for every key DBSIZE counts (one more walk of the whole keyspace saved: ~0.3 s of a 1M import). false,
 * having filed nothing, when the server is older than Redis 6.
 */
async function scanByType(
  source: KeySource,
  fileAll: (keys: readonly string[], typeOf: (i: number) => string) => void,
): Promise<boolean> {
  const seen = new Set<string>();
  for (const type of READ_TYPES) {
    let cursor = '0';
    do {
      const page = await source.scanOfType(cursor, SCAN_COUNT, type);
      if (page === null) return false; // Only ever on the first call: the option is unknown.
      const [next, keys] = page;
      cursor = next;
      for (const key of keys) seen.add(key);
      fileAll(keys, () => type);
    } while (cursor !== '0');
  }
  // DBSIZE is in @read, but a hand-made ACL may lack it: then the walk is done anyway.
  const total = await source.dbsize().catch(() => null);
  if (total !== seen.size) {
    await scanWithTypeCalls(source, (key) => !seen.has(key), fileAll);
  }
  return true;
}

/** SCAN and a TYPE for each key that `wanted` keeps (Redis < 6 files every key this way). */
async function scanWithTypeCalls(
  source: KeySource,
  wanted: (key: string) => boolean,
  fileAll: (keys: readonly string[], typeOf: (i: number) => string) => void,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, names] = await source.scan(cursor, SCAN_COUNT);
    cursor = next;
    const keys = names.filter(wanted);
    if (keys.length === 0) continue;
    const types = await source.types(keys);
    fileAll(keys, (i) => {
      const type = types[i];
      return type?.ok ? type.value : 'none';
    });
  } while (cursor !== '0');
}

function file(
  inv: Inventory,
  report: ImportReport,
  listener: InventoryListener,
  key: string,
  type: string,
): void {
  const k = classifyKey(key);
  if (k.kind === 'ignored') {
    report.ignore(k.why);
    return;
  }
  if (type === 'none') return; // Expired between SCAN and TYPE (locks, caches with a TTL).
  report.keyScanned(k.kind);
  if (k.kind === 'unknown') {
    report.skip(key, 'unknown_key', `type ${type}`);
    return;
  }
  const expected = EXPECTED_TYPE[k.kind];
  if (type !== expected) {
    report.skip(key, 'unexpected_type', `expected ${expected}, found ${type}`);
    return;
  }
  switch (k.kind) {
    case 'giveaway':
      giveaway(inv, k.gid).main = true;
      break;
    case 'giveaway_requirements':
      giveaway(inv, k.gid).requirements = true;
      break;
    case 'giveaway_participants':
      giveaway(inv, k.gid).participants = 0;
      break;
    case 'giveaway_tickets':
      giveaway(inv, k.gid).tickets = true;
      break;
    case 'giveaway_winners':
      giveaway(inv, k.gid).winners = true;
      break;
    case 'giveaway_counter':
      giveaway(inv, k.gid).counter = true;
      break;
    case 'pre_winner_list':
      giveaway(inv, k.gid).preWinnerList = true;
      break;
    case 'status_set':
      inv.statusSets.add(k.status);
      break;
    case 'prize':
      inv.prizes.add(k.pid);
      break;
    case 'win_record':
      inv.winRecords.add(k.rid);
      break;
    case 'user':
      // SCAN may return a key twice; the user is imported once.
      if (!inv.users.has(k.uid)) {
        inv.users.add(k.uid);
        listener.user(k.uid);
      }
      break;
    case 'user_channels':
      inv.userChannels.add(k.uid);
      break;
    case 'channel_field':
      channel(inv, k.cid).fields.add(k.field);
      break;
    case 'channel_info':
      channel(inv, k.cid).info = true;
      break;
  }
}

function giveaway(inv: Inventory, rawId: string): GiveawayKeys {
  let g = inv.giveaways.get(rawId);
  if (!g) {
    g = {
      rawId,
      main: false,
      requirements: false,
      participants: null,
      tickets: false,
      winners: false,
      counter: false,
      preWinnerList: false,
    };
    inv.giveaways.set(rawId, g);
  }
  return g;
}

function channel(inv: Inventory, cid: string): ChannelKeys {
  let c = inv.channels.get(cid);
  if (!c) {
    c = { fields: new Set(), info: false };
    inv.channels.set(cid, c);
  }
  return c;
}

/** SCARD of every participants set: sizes plan the batches and give the progress total. */
async function countParticipants(source: KeySource, inv: Inventory): Promise<void> {
  const withSets = [...inv.giveaways.values()].filter((g) => g.participants !== null);
  for (let i = 0; i < withSets.length; i += SCAN_COUNT) {
    const slice = withSets.slice(i, i + SCAN_COUNT);
    const sizes = await source.scards(slice.map((g) => `giveaway:${g.rawId}:participants`));
    slice.forEach((g, j) => {
      const size = sizes[j];
      g.participants = size?.ok ? size.value : 0;
    });
  }
}

export const keyOf = {
  giveaway: (rawId: string) => `giveaway:${rawId}`,
  requirements: (rawId: string) => `giveaway:${rawId}:requirements`,
  participants: (rawId: string) => `giveaway:${rawId}:participants`,
  tickets: (rawId: string) => `giveaway:${rawId}:tickets`,
  winners: (rawId: string) => `giveaway:${rawId}:winners`,
  counter: (rawId: string) => `giveaway:participants_count:${rawId}`,
  preWinnerList: (rawId: string) => `pre_winner_list:${rawId}`,
  user: (uid: string) => `user:${uid}`,
  userChannels: (uid: string) => `user:${uid}:channels`,
  prize: (pid: string) => `prize:${pid}`,
  winRecord: (rid: string) => `win_record:${rid}`,
  statusSet: (name: string) => `giveaways:${name}`,
  channelField: (cid: string, field: string) => `channel:${cid}:${field}`,
  channelInfo: (cid: string) => `channel:info:id:${cid}`,
};
