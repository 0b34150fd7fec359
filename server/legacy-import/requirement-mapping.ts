// Legacy requirements → our requirement rows. Both stored forms are accepted: the array of
// `{type, username, description?}` and the older object `{requirements: [...], enabled}`; a disabled object
// means no requirements. Channel references are `@username` or a numeric chat id string.
import type * as s from 'zapatos/schema';
import type { ImportReport } from './import-report.ts';
import { asBool, asRecord, asString, parseInt64, parseUsername, truncate } from './legacy-values.ts';

export interface RequirementRow {
  type: s.requirement_type;
  channel_id: number | null;
  channel_username: string | null;
  name: string | null;
  description: string | null;
}

/** Raw JSON value → the list it holds, or null when it is neither stored form. */
export function requirementList(value: unknown): { items: unknown[]; enabled: boolean } | null {
  if (Array.isArray(value)) return { items: value, enabled: true };
  const obj = asRecord(value);
  if (obj && Array.isArray(obj.requirements)) {
    return { items: obj.requirements, enabled: obj.enabled === undefined ? true : asBool(obj.enabled) };
  }
  if (value === null || value === undefined) return { items: [], enabled: true };
  return null;
}

export function mapRequirements(
  list: { items: unknown[]; enabled: boolean },
  key: string,
  report: ImportReport,
  channelTitles: ReadonlyMap<number, string>,
): RequirementRow[] {
  if (!list.enabled) {
    if (list.items.length > 0)
      report.skip(key, 'requirements_disabled', `${list.items.length} requirement(s)`);
    return [];
  }
  const rows: RequirementRow[] = [];
  list.items.forEach((item, i) => {
    const row = mapOne(item);
    if (typeof row === 'string') report.skip(key, 'invalid_requirement', `item ${i}: ${row}`);
    else rows.push(row);
  });
  return rows.map((r) =>
    r.channel_id !== null && r.name === null ? { ...r, name: channelTitles.get(r.channel_id) ?? null } : r,
  );
}

function mapOne(item: unknown): RequirementRow | string {
  const r = asRecord(item);
  if (!r) return 'not an object';
  const type = r.type;
  if (type === 'subscription' || type === 'boost') {
    const ref = asString(r.username) ?? (typeof r.username === 'number' ? String(r.username) : '');
    const chatId = /^-?\d+$/.test(ref.trim()) ? parseInt64(ref) : null;
    const username = chatId === null ? parseUsername(ref) : null;
    if (chatId === null && username === null)
      return `bad channel reference ${JSON.stringify(ref).slice(0, 70)}`;
    return { type, channel_id: chatId, channel_username: username, name: null, description: null };
  }
  if (type === 'custom') {
    const description = (asString(r.description) ?? '').trim();
    if (description === '') return 'custom requirement without a description';
    return {
      type,
      channel_id: null,
      channel_username: null,
      name: truncate(description, 100),
      description: truncate(description, 1000),
    };
  }
  return `unsupported type ${JSON.stringify(type)?.slice(0, 40)}`;
}
