// Legacy PrizePlace lists and sponsors → our giveaway_prizes and giveaway_sponsors rows. A `"all"` entry is
// one catalogue prize serving every place: it becomes one row per place 1..winners_count, all linked to the
// same prize (the legacy (giveaway, prize) key could not hold that: BUG fixed by our row ids).
import type * as s from 'zapatos/schema';
import type { ImportReport } from './import-report.ts';
import {
  PRIZE_TYPE_LABEL,
  parseChannelInfo,
  parsePrizeType,
  type LegacyChannelInfo,
  type LegacyPrize,
} from './legacy-records.ts';
import { asRecord, asString, normalizeUuid, parseInteger, truncate } from './legacy-values.ts';

export interface PrizeRow {
  position: number;
  place: number | null;
  prize_id: string | null;
  title: string;
  description: string;
  quantity: number;
}

export function mapPrizes(
  value: unknown,
  winnersCount: number,
  key: string,
  report: ImportReport,
  catalogue: ReadonlyMap<string, LegacyPrize>,
): PrizeRow[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report.skip(key, 'invalid_prizes', 'prizes is not an array');
    return [];
  }
  const rows: PrizeRow[] = [];
  value.forEach((item: unknown, i) => {
    const p = asRecord(item);
    const placeAll = p?.place === 'all';
    const place = parseInteger(p?.place);
    if (!p || (!placeAll && (place === null || place < 1))) {
      report.skip(key, 'invalid_prize_place', `prizes[${i}]: ${JSON.stringify(p?.place) ?? 'missing'}`);
      return;
    }
    const rawPid = p.prize_id;
    const pid = normalizeUuid(rawPid);
    const known = pid === null ? undefined : catalogue.get(pid);
    if (rawPid !== undefined && rawPid !== '' && known === undefined) {
      report.skip(
        key,
        'prize_record_missing',
        `prizes[${i}]: prize ${JSON.stringify(rawPid)} (kept without a link)`,
      );
    }
    const type = parsePrizeType(p.prize_type) ?? known?.type ?? 'custom';
    const { title, description } = describePrize(type, p.fields, known);
    const base = { prize_id: known?.id ?? null, title, description, quantity: 1 };
    if (placeAll) {
      for (let place = 1; place <= winnersCount; place++)
        rows.push({ ...base, position: rows.length, place });
    } else {
      rows.push({ ...base, position: rows.length, place });
    }
  });
  return rows;
}

/**
 * The legacy catalogue names are generic ("Prize for place 2"), so the title says what the prize is: the
 * type for Telegram prizes, the first field's value for custom ones; the fields go to the description.
 */
function describePrize(
  type: s.prize_type,
  rawFields: unknown,
  known: LegacyPrize | undefined,
): { title: string; description: string } {
  const fields = (Array.isArray(rawFields) ? rawFields : (known?.fields ?? []))
    .map((f) => asRecord(f))
    .filter((f): f is Record<string, unknown> => f !== null);
  const lines = fields
    .map((f) => [asString(f.name) ?? '', valueText(f.value)].filter((t) => t !== '').join(': '))
    .filter((t) => t !== '');
  const firstValue = fields.map((f) => valueText(f.value)).find((v) => v !== '');
  const generic = known === undefined || /^Prize for (place \d+|all winners)$/.test(known.name);
  let title = PRIZE_TYPE_LABEL[type];
  if (type === 'custom' || type === 'internal')
    title = firstValue ?? (generic ? title : (known?.name ?? title));
  const description = lines.length > 0 ? lines.join('\n') : (known?.description ?? '');
  return { title: truncate(title.trim() || 'Prize', 100), description: truncate(description, 1000) };
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** At most three distinct sponsor channels, in the stored order. */
export function mapSponsors(value: unknown, key: string, report: ImportReport): LegacyChannelInfo[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report.skip(key, 'invalid_sponsors', 'sponsors is not an array');
    return [];
  }
  const out: LegacyChannelInfo[] = [];
  value.forEach((item: unknown, i) => {
    const info = parseChannelInfo(item);
    if (!info) report.skip(key, 'invalid_sponsor', `sponsors[${i}]`);
    else if (out.some((o) => o.id === info.id)) report.skip(key, 'duplicate_sponsor', String(info.id));
    else if (out.length >= 3) report.skip(key, 'too_many_sponsors', String(info.id));
    else out.push(info);
  });
  return out;
}
