// Phase 1: walks the whole keyspace once with SCAN (never KEYS) and TYPE, and sorts key names into an
// inventory. Only names and set sizes are kept; values are read later, batch by batch. Keys of an unknown
// shape or of the wrong type are reported here and never read.
import { EXPECTED_TYPE, classifyKey, type ChannelField, type StatusSetName } from './legacy-keys.ts';
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

const SCAN_COUNT = 1000;

export async function buildInventory(
  source: LegacySource,
  report: ImportReport,
  onProgress: (scanned: number) => void,
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
  let cursor = '0';
  let scanned = 0;
  do {
    const [next, keys] = await source.scan(cursor, SCAN_COUNT);
    cursor = next;
    const types = await source.types(keys);
    keys.forEach((key, i) => {
      const type = types[i];
      file(inv, report, key, type?.ok ? type.value : 'none');
    });
    scanned += keys.length;
    onProgress(scanned);
  } while (cursor !== '0');
  await countParticipants(source, inv);
  return inv;
}

function file(inv: Inventory, report: ImportReport, key: string, type: string): void {
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
      inv.users.add(k.uid);
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
async function countParticipants(source: LegacySource, inv: Inventory): Promise<void> {
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
