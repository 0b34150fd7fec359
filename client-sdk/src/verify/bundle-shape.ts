// Shape checks for bundles read from untrusted JSON, so the replay never trips over a missing field.
import { isHex, userIdKey } from './bytes.ts';

export type Rec = Record<string, unknown>;

export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isReason = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const recs = (v: unknown): Rec[] | null => (Array.isArray(v) && v.every(isRec) ? v : null);

/** Why a random (§5) bundle is malformed, or null when every field the replay reads is well-formed. */
export function randomBundleProblem(b: Rec): string | null {
  if (b.protocol !== 'giveaway-draw/v1')
    return `protocol is ${String(b.protocol)}, expected giveaway-draw/v1`;
  if (typeof b.giveaway_id !== 'string' || b.giveaway_id === '') return 'giveaway_id is missing';
  for (const key of ['server_seed', 'seed_commitment', 'entrants_root'] as const) {
    if (!isHex(b[key], 32)) return `${key} is not 32 bytes of lowercase hex`;
  }
  for (const key of ['entrants_count', 'total_weight', 'winners_count', 'reserves_count'] as const) {
    if (!isCount(b[key])) return `${key} is not a count`;
  }
  if (b.beacon !== null) {
    const beacon = b.beacon;
    if (!isRec(beacon)) return 'beacon is neither null nor an object';
    if (!Number.isSafeInteger(beacon.round) || (beacon.round as number) < 1) return 'beacon round is invalid';
    if (!isHex(beacon.signature) || !isHex(beacon.randomness, 32))
      return 'beacon signature/randomness not hex';
  }
  const exclusions = recs(b.exclusions);
  if (!exclusions?.every((e) => userIdKey(e.user_id) && isReason(e.reason))) {
    return 'exclusions need a user_id and a reason each';
  }
  if (!recs(b.winners)?.every((w) => userIdKey(w.user_id) && isCount(w.place)))
    return 'winners are malformed';
  if (!Array.isArray(b.reserves) || !b.reserves.every((id) => userIdKey(id))) return 'reserves are malformed';
  const rerolls = recs(b.rerolls);
  const rerollOk = (r: Rec) =>
    isCount(r.place) && userIdKey(r.replaced_user_id) && userIdKey(r.by_user_id) && isReason(r.reason);
  if (!rerolls?.every(rerollOk)) return 'rerolls need place, replaced_user_id, by_user_id and reason each';
  return null;
}

/** Winners of a manual or imported bundle: [place, canonical id] pairs, or a problem. */
export function pickedWinners(b: Rec): Array<{ place: number; user_id: string }> | string {
  const winners = recs(b.winners);
  if (!winners) return 'winners is not a list';
  const out = [];
  for (const [i, w] of winners.entries()) {
    const id = userIdKey(w.user_id);
    if (!id || w.place !== i + 1) return `winner #${i + 1} needs place ${i + 1} and a valid user_id`;
    out.push({ place: i + 1, user_id: id });
  }
  return out;
}
