// Phases 3–4 (users, phase 2, are in user-import.ts): channels (with their admins) and the prize catalogue,
// then the win records (read in full, since the legacy code keyed them by record id only) and the status
// sets (read only for the drift check). Each batch of keys is read with one pipeline and written with one
// statement per table.
import { insertChannelAdmins, upsertChannels, upsertPrizes, type ChannelRow } from './catalog.queries.ts';
import { readStrings as readBatches, slices } from './batch-writes.ts';
import type { ImportReport } from './import-report.ts';
import { isolate } from './isolate.ts';
import type { ImportTarget } from './import-target.ts';
import { keyOf, type Inventory } from './key-inventory.ts';
import {
  parseChannelInfo,
  parsePrize,
  parseWinRecord,
  type LegacyChannelInfo,
  type LegacyPrize,
  type LegacyWinRecord,
} from './legacy-records.ts';
import type { LegacySource } from './legacy-source.ts';
import { normalizeUuid, parseInt64, parseJson, parseUserId, parseUsername } from './legacy-values.ts';
import type { ProgressSink } from './progress.ts';

const readStrings = (deps: PhaseDeps, keys: readonly string[]) =>
  readBatches(deps.source, deps.report, keys, deps.batch);

export interface PhaseDeps {
  source: LegacySource;
  target: ImportTarget;
  report: ImportReport;
  progress: ProgressSink;
  batch: number;
}

/** Returns channel titles by id, which name channel requirements. */
export async function importChannels(deps: PhaseDeps, inv: Inventory): Promise<Map<number, string>> {
  deps.progress.phase('channels', 'channels', inv.channels.size);
  const rows = new Map<number, ChannelRow>();
  for (const slice of slices([...inv.channels.entries()], deps.batch)) {
    const keys = slice.flatMap(([cid, c]) => [
      ...[...c.fields].map((f) => keyOf.channelField(cid, f)),
      ...(c.info ? [keyOf.channelInfo(cid)] : []),
    ]);
    const values = new Map<string, string>();
    for await (const batch of readStrings(deps, keys)) for (const [k, v] of batch) values.set(k, v);
    for (const [cid, c] of slice) {
      const id = parseInt64(cid);
      if (id === null || id === 0) {
        deps.report.skip(keyOf.channelInfo(cid), 'invalid_channel_id', cid);
        continue;
      }
      let info: LegacyChannelInfo | null = null;
      const infoText = c.info ? values.get(keyOf.channelInfo(cid)) : undefined;
      if (infoText !== undefined) {
        const json = parseJson(infoText);
        info = json.ok ? parseChannelInfo(json.value) : null;
        if (!info)
          deps.report.skip(keyOf.channelInfo(cid), 'corrupt_json', json.ok ? 'not channel info' : json.error);
      }
      // The bot's own keys are fresher than the app's 14-day info cache.
      const field = (f: string) => values.get(keyOf.channelField(cid, f)) ?? null;
      rows.set(id, {
        id,
        title: field('title') ?? info?.title ?? '',
        username: parseUsername(field('username')) ?? info?.username ?? null,
        inviteUrl: field('url') ?? info?.channelUrl ?? null,
      });
    }
    deps.progress.advance(slice.length);
  }
  const admins = await readChannelAdmins(deps, inv, rows);
  for (const slice of slices([...rows.values()], deps.batch)) {
    await isolate(
      deps.report,
      slice,
      (c) => `channel:${c.id}`,
      async (group) => {
        const c = await deps.target.run((q) => upsertChannels(q, group));
        deps.report.add('imported', 'channels', c.inserted);
        deps.report.add('updated', 'channels', c.updated);
      },
    );
  }
  for (const slice of slices(admins, deps.batch)) {
    await isolate(
      deps.report,
      slice,
      (a) => `user:${a.userId}:channels`,
      async (group) => {
        deps.report.add(
          'imported',
          'channel_admins',
          await deps.target.run((q) => insertChannelAdmins(q, group)),
        );
      },
    );
  }
  return new Map([...rows.values()].filter((r) => r.title !== '').map((r) => [r.id, r.title]));
}

/** `user:{uid}:channels`: the channels each user may use. Channels known only from here get a bare row. */
async function readChannelAdmins(deps: PhaseDeps, inv: Inventory, rows: Map<number, ChannelRow>) {
  const pairs: Array<{ channelId: number; userId: number }> = [];
  for (const slice of slices([...inv.userChannels], deps.batch)) {
    const sets = await deps.source.smembers(slice.map(keyOf.userChannels));
    slice.forEach((uid, i) => {
      const key = keyOf.userChannels(uid);
      const userId = parseUserId(uid);
      const members = sets[i];
      if (userId === null) return deps.report.skip(key, 'invalid_user_id', uid);
      if (!members?.ok) return deps.report.skip(key, 'read_error', members?.error);
      for (const m of members.value) {
        const channelId = parseInt64(m);
        if (channelId === null || channelId === 0) {
          deps.report.skip(key, 'invalid_channel_id', m.slice(0, 40));
          continue;
        }
        if (!rows.has(channelId))
          rows.set(channelId, { id: channelId, title: '', username: null, inviteUrl: null });
        pairs.push({ channelId, userId });
      }
    });
  }
  return pairs;
}

export async function importPrizes(deps: PhaseDeps, inv: Inventory): Promise<Map<string, LegacyPrize>> {
  const catalogue = new Map<string, LegacyPrize>();
  deps.progress.phase('prizes', 'prizes', inv.prizes.size);
  for await (const batch of readStrings(deps, [...inv.prizes].map(keyOf.prize))) {
    const prizes: LegacyPrize[] = [];
    for (const [key, text] of batch) {
      const parsed = parsePrize(key.slice('prize:'.length), text);
      if (!parsed.ok) deps.report.skip(key, parsed.reason, parsed.detail);
      else if (!catalogue.has(parsed.value.id)) {
        catalogue.set(parsed.value.id, parsed.value);
        prizes.push(parsed.value);
      }
    }
    const written = await isolate(
      deps.report,
      prizes,
      (p) => `prize:${p.id}`,
      async (group) => {
        const c = await deps.target.run((q) => upsertPrizes(q, group));
        deps.report.add('imported', 'prizes', c.inserted);
        deps.report.add('updated', 'prizes', c.updated);
      },
    );
    // A prize that could not be written cannot be linked to.
    for (const p of prizes) if (!written.includes(p)) catalogue.delete(p.id);
    deps.progress.advance(batch.length);
  }
  return catalogue;
}

/** Win records grouped by giveaway; records of giveaways that no longer exist are reported as orphans. */
export async function loadWinRecords(
  deps: PhaseDeps,
  inv: Inventory,
  giveawayExists: (id: string) => boolean,
): Promise<Map<string, LegacyWinRecord[]>> {
  const byGiveaway = new Map<string, LegacyWinRecord[]>();
  deps.progress.phase('win records', 'records', inv.winRecords.size);
  for await (const batch of readStrings(deps, [...inv.winRecords].map(keyOf.winRecord))) {
    for (const [key, text] of batch) {
      const parsed = parseWinRecord(text);
      if (!parsed.ok) deps.report.skip(key, parsed.reason, parsed.detail);
      else if (!giveawayExists(parsed.value.giveawayId)) {
        deps.report.skip(key, 'orphan_no_giveaway', parsed.value.giveawayId);
      } else {
        const list = byGiveaway.get(parsed.value.giveawayId) ?? [];
        list.push(parsed.value);
        byGiveaway.set(parsed.value.giveawayId, list);
      }
    }
    deps.progress.advance(batch.length);
  }
  return byGiveaway;
}

/** Which status sets list each giveaway id (lower-case), for the drift check. */
export async function loadStatusSets(deps: PhaseDeps, inv: Inventory): Promise<Map<string, Set<string>>> {
  const membership = new Map<string, Set<string>>();
  for (const name of inv.statusSets) {
    for await (const members of deps.source.sscan(keyOf.statusSet(name), deps.batch)) {
      for (const m of members) {
        const id = normalizeUuid(m) ?? m;
        const sets = membership.get(id) ?? new Set<string>();
        sets.add(name);
        membership.set(id, sets);
      }
    }
  }
  return membership;
}
