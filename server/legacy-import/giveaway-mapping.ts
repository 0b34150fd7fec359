// One legacy giveaway (its JSON and side keys) → the rows we write, validated against our constraints.
// Out-of-range values are clamped and reported field by field; a giveaway we cannot make sense of (corrupt
// JSON, no creator, no title, no start) is skipped with its reason. Pure apart from the report.
import type * as s from 'zapatos/schema';
import type { ImportReport } from './import-report.ts';
import { parseObject, parsePreWinnerList, type LegacyPrize, type LegacyWinRecord } from './legacy-records.ts';
import {
  asBool,
  asString,
  charLength,
  parseInteger,
  parseJson,
  parseTime,
  parseUserId,
  truncate,
} from './legacy-values.ts';
import { mapPrizes, mapSponsors, type PrizeRow } from './prize-mapping.ts';
import type { LegacyChannelInfo } from './legacy-records.ts';
import { mapRequirements, requirementList, type RequirementRow } from './requirement-mapping.ts';
import { isLegacyStatus, mapStatus, type LegacyStatus } from './status-mapping.ts';
import { mapWinners, type WinRecordRow, type WinnerRow } from './winner-mapping.ts';

export const DURATION_MIN = 5;
export const DURATION_MAX = 5_184_000;
export const WINNERS_MAX = 1000;
const INT_MAX = 2_147_483_647;
const PRE_WINNER_TTL_MS = 24 * 3600 * 1000;

export interface GiveawayRow {
  id: string;
  creator_id: number;
  title: string;
  description: string;
  status: s.giveaway_status;
  started_at: Date;
  ends_at: Date;
  duration: number;
  winners_count: number;
  max_participants: number;
  allow_tickets: boolean;
  auto_distribute: boolean;
  pending_since: Date | null;
  closed_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface GiveawayPlan {
  key: string;
  rawId: string;
  legacyStatus: LegacyStatus;
  row: GiveawayRow;
  requirements: RequirementRow[];
  prizes: PrizeRow[];
  sponsors: LegacyChannelInfo[];
  winners: WinnerRow[];
  winRecords: WinRecordRow[];
  winnersFrom: string | null;
  preWinnerList: { userIds: number[]; createdAt: Date; expiresAt: Date } | null;
}

export interface GiveawaySource {
  id: string;
  rawId: string;
  main: string;
  requirements: string | null;
  winners: string | null;
  preWinnerList: string | null;
  winRecords: readonly LegacyWinRecord[];
}

export interface MappingContext {
  report: ImportReport;
  prizes: ReadonlyMap<string, LegacyPrize>;
  channelTitles: ReadonlyMap<number, string>;
}

export function mapGiveaway(src: GiveawaySource, ctx: MappingContext): GiveawayPlan | null {
  const { report } = ctx;
  const key = `giveaway:${src.rawId}`;
  const skip = (reason: string, detail?: string): null => {
    report.skip(key, reason, detail);
    return null;
  };
  const parsed = parseObject(src.main);
  if (!parsed.ok) return skip(parsed.reason, parsed.detail);
  const g = parsed.value;
  if (!isLegacyStatus(g.status)) return skip('unknown_status', JSON.stringify(g.status)?.slice(0, 40));
  const creatorId = parseUserId(g.creator_id);
  if (creatorId === null) return skip('invalid_creator_id', String(g.creator_id));
  const rawTitle = (asString(g.title) ?? '').trim();
  if (rawTitle === '') return skip('invalid_title', 'missing or empty');
  const startedAt = parseTime(g.started_at) ?? parseTime(g.created_at);
  if (startedAt === null) return skip('invalid_started_at', String(g.started_at));
  const rawDuration = parseInteger(g.duration);
  if (rawDuration === null) return skip('invalid_duration', JSON.stringify(g.duration)?.slice(0, 40));
  const rawWinners = parseInteger(g.winners_count);
  if (rawWinners === null)
    return skip('invalid_winners_count', JSON.stringify(g.winners_count)?.slice(0, 40));

  const clamp = <T>(field: string, from: T, to: T): T => {
    if (from !== to) report.clamp(key, field, from, to);
    return to;
  };
  const title = clampText(report, key, 'title', rawTitle, 100);
  const description = clampText(report, key, 'description', asString(g.description) ?? '', 1000);
  const duration = clamp(
    'duration',
    rawDuration,
    Math.min(DURATION_MAX, Math.max(DURATION_MIN, rawDuration)),
  );
  const winnersCount = clamp('winners_count', rawWinners, Math.min(WINNERS_MAX, Math.max(1, rawWinners)));
  const rawMax = parseInteger(g.max_participants) ?? 0;
  const maxParticipants = clamp(
    'max_participants',
    rawMax,
    rawMax <= 0 ? 0 : Math.min(INT_MAX, Math.max(winnersCount, rawMax)),
  );
  // ends_at was never set at create (zero time): it is always started_at + duration.
  const endsAt = new Date(startedAt.getTime() + duration * 1000);
  const givenEnd = parseTime(g.ends_at);
  if (givenEnd !== null && Math.abs(givenEnd.getTime() - endsAt.getTime()) > 1000) {
    report.clamp(key, 'ends_at', givenEnd.toISOString(), endsAt.toISOString());
  }
  const createdAt = parseTime(g.created_at) ?? startedAt;
  const updatedAt = parseTime(g.updated_at) ?? createdAt;

  const requirements = mapRequirements(
    readRequirements(src, g.requirements, report),
    key,
    report,
    ctx.channelTitles,
  );
  const prizes = mapPrizes(g.prizes, winnersCount, key, report, ctx.prizes);
  const sponsors = mapSponsors(g.sponsors, key, report);
  const mapped = mapWinners(
    {
      giveawayId: src.id,
      winnersKey: `giveaway:${src.rawId}:winners`,
      winnersJson: src.winners,
      records: src.winRecords,
      prizes,
      finishedAt: updatedAt,
    },
    report,
  );
  const status = mapStatus(g.status, mapped.winners.length > 0);
  report.status(g.status, status);
  const keepWinners = status === 'completed';
  if (!keepWinners && mapped.winners.length > 0) {
    report.skip(
      `giveaway:${src.rawId}:winners`,
      'winners_of_unfinished_giveaway',
      `${mapped.winners.length} winner(s)`,
    );
  }
  return {
    key,
    rawId: src.rawId,
    legacyStatus: g.status,
    row: {
      id: src.id,
      creator_id: creatorId,
      title,
      description,
      status,
      started_at: startedAt,
      ends_at: endsAt,
      duration,
      winners_count: winnersCount,
      max_participants: maxParticipants,
      allow_tickets: asBool(g.allow_tickets),
      auto_distribute: asBool(g.auto_distribute),
      pending_since: status === 'pending' ? updatedAt : null,
      closed_at: status === 'completed' || status === 'pending' ? updatedAt : null,
      finished_at: status === 'completed' || status === 'cancelled' ? updatedAt : null,
      created_at: createdAt,
      updated_at: updatedAt,
    },
    requirements,
    prizes,
    sponsors,
    winners: keepWinners ? mapped.winners : [],
    winRecords: keepWinners ? mapped.winRecords : [],
    winnersFrom: keepWinners ? mapped.from : null,
    preWinnerList:
      status === 'pending' ? readPreWinnerList(src, updatedAt, report) : ignorePreWinnerList(src, report),
  };
}

/** The separate requirements key wins; the copy embedded in the giveaway JSON is the fallback. */
function readRequirements(src: GiveawaySource, embedded: unknown, report: ImportReport) {
  const reqKey = `giveaway:${src.rawId}:requirements`;
  if (src.requirements !== null) {
    const json = parseJson(src.requirements);
    const list = json.ok ? requirementList(json.value) : null;
    if (list) return list;
    report.skip(
      reqKey,
      json.ok ? 'invalid_requirements' : 'corrupt_json',
      json.ok ? 'neither an array nor {requirements, enabled}' : json.error,
    );
  }
  const list = requirementList(embedded);
  if (list) return list;
  report.skip(`giveaway:${src.rawId}`, 'invalid_requirements', 'embedded requirements of an unknown shape');
  return { items: [], enabled: true };
}

function readPreWinnerList(
  src: GiveawaySource,
  fallback: Date,
  report: ImportReport,
): GiveawayPlan['preWinnerList'] {
  if (src.preWinnerList === null) return null;
  const key = `pre_winner_list:${src.rawId}`;
  const parsed = parsePreWinnerList(src.preWinnerList);
  if (!parsed.ok) {
    report.skip(key, parsed.reason, parsed.detail);
    return null;
  }
  if (parsed.value.invalid > 0) report.skip(key, 'invalid_user_id', `${parsed.value.invalid} id(s) dropped`);
  if (parsed.value.userIds.length === 0) return null;
  const createdAt = parsed.value.createdAt ?? fallback;
  return {
    userIds: parsed.value.userIds,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + PRE_WINNER_TTL_MS),
  };
}

function ignorePreWinnerList(src: GiveawaySource, report: ImportReport): null {
  if (src.preWinnerList !== null) report.skip(`pre_winner_list:${src.rawId}`, 'pre_winner_list_not_pending');
  return null;
}

function clampText(report: ImportReport, key: string, field: string, text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut !== text) report.clamp(key, field, `${charLength(text)} chars`, `${max} chars`);
  return cut;
}
