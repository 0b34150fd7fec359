// The public proof of a draw (§5, manual variant §7): building it, appending rerolls by replay, and verifying
// one end to end (§6). BLS beacon verification is injected by the caller (BeaconSignatureVerifier).
import { freezeEntrants, findEntrantIndex, type EntrantInput, type FrozenEntrants } from './entrants.ts';
import { DrawProtocolError } from './errors.ts';
import { DrawSelector } from './select-winners.ts';
import {
  PROTOCOL_ID,
  QUICKNET,
  beaconRandomness,
  beaconSignedMessage,
  deriveSeed,
  seedCommitment,
  type BeaconSignatureVerifier,
} from './seed.ts';
import { parseUserId, sameUserId, toJsonUserId, type JsonUserId, type UserIdInput } from './user-id.ts';

export interface BeaconCommitment {
  readonly network: typeof QUICKNET.network;
  readonly chain_hash: string;
  readonly round: number;
}

export interface BeaconProof extends BeaconCommitment {
  readonly signature: string;
  readonly randomness: string;
}

export interface ExclusionEntry {
  readonly user_id: JsonUserId;
  readonly reason: string;
}

export interface WinnerEntry {
  readonly place: number;
  readonly user_id: JsonUserId;
}

export interface RerollEntry {
  readonly place: number;
  readonly replaced_user_id: JsonUserId;
  readonly by_user_id: JsonUserId;
  readonly reason: string;
}

/**
 * §5 bundle. `winners` and `reserves` are the initial draw and never change; `rerolls` is an append-only log
 * on top (see currentWinners). User ids are JSON numbers, or decimal strings beyond 2^53 so none is rounded.
 */
export interface RandomProofBundle {
  readonly protocol: typeof PROTOCOL_ID;
  /** Absent in §5 bundles; present only to tell them apart from manual ones. */
  readonly mode?: 'random';
  readonly giveaway_id: string;
  readonly seed_commitment: string;
  readonly server_seed: string;
  readonly beacon: BeaconProof | null;
  readonly entrants_root: string;
  readonly entrants_count: number;
  readonly total_weight: number;
  readonly winners_count: number;
  readonly reserves_count: number;
  /** In the order the stream picked them. */
  readonly exclusions: readonly ExclusionEntry[];
  readonly winners: readonly WinnerEntry[];
  readonly reserves: readonly JsonUserId[];
  readonly rerolls: readonly RerollEntry[];
  readonly drawn_at: string;
}

export interface ManualPick extends WinnerEntry {
  readonly picked_at: string;
}

/** §7: the creator picked by hand; no seed, beacon or stream is claimed. */
export interface ManualProofBundle {
  readonly protocol: typeof PROTOCOL_ID;
  readonly mode: 'manual';
  readonly giveaway_id: string;
  readonly entrants_root: string;
  readonly entrants_count: number;
  readonly total_weight: number;
  readonly winners_count: number;
  readonly winners: readonly ManualPick[];
  readonly drawn_at: string;
}

export type ProofBundle = RandomProofBundle | ManualProofBundle;

export interface BuildProofBundleInput {
  readonly giveawayId: string;
  readonly serverSeed: Uint8Array;
  /**
   * The round committed at creation and its signature; randomness (= H(signature)) is derived, and checked
   * against `randomness` when that is given too. null when the giveaway was created without a beacon.
   */
  readonly beacon: {
    readonly round: number;
    readonly signature: string | Uint8Array;
    readonly randomness?: string | Uint8Array;
  } | null;
  readonly entrants: FrozenEntrants;
  readonly winnersCount: number;
  readonly reservesCount: number;
  /** Picks found ineligible at draw time; each must have been picked, any order. */
  readonly exclusions?: readonly { readonly user_id: UserIdInput; readonly reason: string }[];
  readonly drawnAt?: Date;
  /** When given, the beacon signature must verify or the build fails. */
  readonly verifyBeaconSignature?: BeaconSignatureVerifier;
}

export function buildProofBundle(input: BuildProofBundleInput): RandomProofBundle {
  const { entrants } = input;
  const beacon = input.beacon === null ? null : buildBeaconProof(input.beacon, input.verifyBeaconSignature);
  const seed = deriveSeed({
    serverSeed: input.serverSeed,
    giveawayId: input.giveawayId,
    entrantsRoot: entrants.root,
    beaconRandomness: beacon ? Buffer.from(beacon.randomness, 'hex') : null,
  });
  const reasons = new Map<bigint, string>();
  for (const e of input.exclusions ?? []) {
    if (!isReason(e.reason)) {
      throw new DrawProtocolError('INVALID_EXCLUSIONS', 'exclusion reason must be a code');
    }
    let id: bigint;
    try {
      id = parseUserId(e.user_id);
    } catch (err) {
      throw new DrawProtocolError('INVALID_EXCLUSIONS', `exclusion: ${(err as Error).message}`);
    }
    if (reasons.has(id)) throw new DrawProtocolError('INVALID_EXCLUSIONS', `${id} excluded twice`);
    reasons.set(id, e.reason);
  }
  const selector = new DrawSelector({ entrants, seed, exclusions: reasons.keys() });
  const selection = selector.draw(input.winnersCount, input.reservesCount);
  if (selection.excludedPicks.length !== reasons.size) {
    const picked = new Set(selection.excludedPicks);
    const unused = [...reasons.keys()].filter((id) => !picked.has(id));
    // An exclusion is a finding about a pick; one about someone never picked would be a claim without a check.
    throw new DrawProtocolError('INVALID_EXCLUSIONS', `excluded but never picked: ${unused.join(', ')}`);
  }
  return {
    protocol: PROTOCOL_ID,
    giveaway_id: input.giveawayId,
    seed_commitment: seedCommitment(input.serverSeed),
    server_seed: Buffer.from(input.serverSeed).toString('hex'),
    beacon,
    entrants_root: entrants.root.toString('hex'),
    entrants_count: entrants.count,
    total_weight: entrants.totalWeight,
    winners_count: input.winnersCount,
    reserves_count: input.reservesCount,
    exclusions: selection.excludedPicks.map((id) => ({
      user_id: toJsonUserId(id),
      reason: reasons.get(id) ?? '',
    })),
    winners: selection.winners.map((id, i) => ({ place: i + 1, user_id: toJsonUserId(id) })),
    reserves: selection.reserves.map(toJsonUserId),
    rerolls: [],
    drawn_at: (input.drawnAt ?? new Date()).toISOString(),
  };
}

/**
 * Rebuilds the selector a bundle describes (initial draw plus its rerolls), checking each step against the
 * bundle. Throws INVALID_PROOF on any disagreement, so a corrupt bundle is never extended.
 */
export function restoreSelector(bundle: RandomProofBundle, entrants: FrozenEntrants): DrawSelector {
  if (bundle.entrants_root !== entrants.root.toString('hex')) {
    throw new DrawProtocolError('INVALID_PROOF', 'entrants do not hash to the bundle entrants_root');
  }
  const replay = replayDraw(bundle, entrants);
  const first = replay.problems[0];
  if (first) throw new DrawProtocolError('INVALID_PROOF', `${first.code}: ${first.message}`);
  if (!replay.selector) throw new DrawProtocolError('INVALID_PROOF', 'bundle cannot be replayed');
  return replay.selector;
}

/** Replaces the winner at `place` (first unused reserve, else the stream continues) and logs it in a new bundle. */
export function applyReroll(
  bundle: RandomProofBundle,
  entrants: FrozenEntrants,
  place: number,
  reason: string,
): { bundle: RandomProofBundle; reroll: RerollEntry } {
  if (!isReason(reason)) throw new DrawProtocolError('INVALID_ARGUMENT', 'reroll reason must be a code');
  const outcome = restoreSelector(bundle, entrants).reroll(place);
  const reroll: RerollEntry = {
    place,
    replaced_user_id: toJsonUserId(outcome.replacedUserId),
    by_user_id: toJsonUserId(outcome.byUserId),
    reason,
  };
  return { bundle: { ...bundle, rerolls: [...bundle.rerolls, reroll] }, reroll };
}

/** Who holds each place now, rerolls applied in order. */
export function currentWinners(bundle: ProofBundle): WinnerEntry[] {
  const winners = bundle.winners.map((w) => ({ place: w.place, user_id: w.user_id }));
  if (bundle.mode === 'manual') return winners;
  for (const r of bundle.rerolls) {
    const slot = winners.find((w) => w.place === r.place);
    if (slot) slot.user_id = r.by_user_id;
  }
  return winners;
}

export interface BuildManualBundleInput {
  readonly giveawayId: string;
  readonly entrants: FrozenEntrants;
  readonly winnersCount: number;
  /** In place order (place 1 first). */
  readonly picks: readonly { readonly user_id: UserIdInput; readonly picked_at: Date }[];
  readonly drawnAt?: Date;
}

export function buildManualBundle(input: BuildManualBundleInput): ManualProofBundle {
  if (typeof input.giveawayId !== 'string' || input.giveawayId.length === 0) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'giveaway_id must be a non-empty string');
  }
  if (!Number.isSafeInteger(input.winnersCount) || input.winnersCount < 0) {
    throw new DrawProtocolError('INVALID_ARGUMENT', 'winners_count must be a non-negative integer');
  }
  if (input.picks.length > input.winnersCount) {
    throw new DrawProtocolError(
      'INVALID_ARGUMENT',
      `${input.picks.length} picks for ${input.winnersCount} places`,
    );
  }
  const seen = new Set<bigint>();
  const winners = input.picks.map((p, i): ManualPick => {
    const id = parseUserId(p.user_id);
    if (findEntrantIndex(input.entrants, id) < 0) {
      throw new DrawProtocolError('INVALID_ARGUMENT', `picked ${id} is not an entrant`);
    }
    if (seen.has(id)) throw new DrawProtocolError('INVALID_ARGUMENT', `${id} picked twice`);
    seen.add(id);
    return { place: i + 1, user_id: toJsonUserId(id), picked_at: p.picked_at.toISOString() };
  });
  return {
    protocol: PROTOCOL_ID,
    mode: 'manual',
    giveaway_id: input.giveawayId,
    entrants_root: input.entrants.root.toString('hex'),
    entrants_count: input.entrants.count,
    total_weight: input.entrants.totalWeight,
    winners_count: input.winnersCount,
    winners,
    drawn_at: (input.drawnAt ?? new Date()).toISOString(),
  };
}

export type VerificationProblemCode =
  | 'MALFORMED'
  | 'PROTOCOL'
  | 'SEED_COMMITMENT'
  | 'NOT_AS_PUBLISHED'
  | 'BEACON'
  | 'BEACON_RANDOMNESS'
  | 'BEACON_SIGNATURE'
  | 'ENTRANTS_INVALID'
  | 'ENTRANTS_ROOT'
  | 'ENTRANTS_COUNT'
  | 'TOTAL_WEIGHT'
  | 'EXCLUSIONS'
  | 'WINNERS'
  | 'RESERVES'
  | 'REROLLS';

export interface VerificationProblem {
  readonly code: VerificationProblemCode;
  readonly message: string;
}

export interface VerifyOptions {
  /** Without it a beacon signature is not checked and 'beacon_signature' is reported in `skipped`. */
  readonly verifyBeaconSignature?: BeaconSignatureVerifier;
  /** What was published at creation (§6.1); compared with the bundle when given. */
  readonly published?: { readonly seed_commitment: string; readonly beacon: BeaconCommitment | null };
}

export interface VerificationResult {
  /** True only when every check ran and passed: no problems and nothing skipped. */
  readonly ok: boolean;
  readonly problems: readonly VerificationProblem[];
  readonly skipped: readonly 'beacon_signature'[];
}

/**
 * Re-runs a draw from its bundle and the entrant list served beside it: commitment, beacon randomness (and
 * signature via the injected verifier), entrant root, seed, selection with exclusions, and every reroll.
 * Never throws on bad input; everything wrong is reported.
 */
export function verifyProofBundle(
  bundle: ProofBundle,
  entrants: readonly EntrantInput[] | FrozenEntrants,
  options: VerifyOptions = {},
): VerificationResult {
  const problems: VerificationProblem[] = [];
  const skipped: 'beacon_signature'[] = [];
  const report = (code: VerificationProblemCode, message: string): void => {
    problems.push({ code, message });
  };
  try {
    runChecks(bundle, entrants, options, report, skipped);
  } catch (err) {
    // Last resort for shapes the checks did not foresee: a verifier reports, it does not crash its caller.
    report('MALFORMED', `verification stopped: ${err instanceof Error ? err.message : show(err)}`);
  }
  return { ok: problems.length === 0 && skipped.length === 0, problems, skipped };
}

type Report = (code: VerificationProblemCode, message: string) => void;

function runChecks(
  bundle: ProofBundle,
  entrants: readonly EntrantInput[] | FrozenEntrants,
  options: VerifyOptions,
  report: Report,
  skipped: 'beacon_signature'[],
): void {
  const b = bundle as unknown;
  if (!isRecord(b)) return report('MALFORMED', 'bundle is not an object');
  if (b.protocol !== PROTOCOL_ID) {
    report('PROTOCOL', `protocol is ${show(b.protocol)}, expected ${PROTOCOL_ID}`);
  }

  let frozen: FrozenEntrants | null = null;
  try {
    frozen = Array.isArray(entrants) ? freezeEntrants(entrants) : asFrozen(entrants);
  } catch (err) {
    report('ENTRANTS_INVALID', (err as Error).message);
  }
  if (frozen) checkEntrantsSummary(b, frozen, report);

  if (b.mode === 'manual') {
    if (frozen) checkManualWinners(b, frozen, report);
    return;
  }
  if (b.mode !== undefined && b.mode !== 'random') return report('MALFORMED', `unknown mode ${show(b.mode)}`);
  const shape = randomShapeProblem(b);
  if (shape) return report('MALFORMED', shape);
  const random = bundle as RandomProofBundle;

  if (seedCommitment(Buffer.from(random.server_seed, 'hex')) !== random.seed_commitment) {
    report('SEED_COMMITMENT', 'H(server_seed) does not equal seed_commitment');
  }
  if (options.published) checkPublished(random, options.published, report);
  if (random.beacon) checkBeacon(random.beacon, options.verifyBeaconSignature, report, skipped);
  if (frozen) {
    for (const p of replayDraw(random, frozen).problems) report(p.code, p.message);
  }
}

function asFrozen(value: unknown): FrozenEntrants {
  const f = value as Partial<FrozenEntrants> | null;
  const ok =
    typeof f === 'object' &&
    f !== null &&
    Buffer.isBuffer(f.root) &&
    f.idHi instanceof Uint32Array &&
    f.idLo instanceof Uint32Array &&
    f.weights instanceof Uint32Array &&
    Number.isSafeInteger(f.count);
  if (!ok) throw new DrawProtocolError('INVALID_ENTRANTS', 'entrants are neither a list nor frozen entrants');
  return value as FrozenEntrants;
}

interface Replay {
  readonly selector: DrawSelector | null;
  readonly problems: VerificationProblem[];
}

/** Re-derives the seed from the bundle, redraws with its exclusions, then replays its rerolls in order. */
function replayDraw(bundle: RandomProofBundle, entrants: FrozenEntrants): Replay {
  const problems: VerificationProblem[] = [];
  const fail = (code: VerificationProblemCode, message: string): Replay => {
    problems.push({ code, message });
    return { selector: null, problems };
  };
  const shape = randomShapeProblem(bundle as unknown as Record<string, unknown>);
  if (shape) return fail('MALFORMED', shape);

  let seed: Buffer;
  try {
    seed = deriveSeed({
      serverSeed: Buffer.from(bundle.server_seed, 'hex'),
      giveawayId: bundle.giveaway_id,
      entrantsRoot: entrants.root,
      beaconRandomness: bundle.beacon ? Buffer.from(bundle.beacon.randomness, 'hex') : null,
    });
  } catch (err) {
    return fail('MALFORMED', (err as Error).message);
  }

  const excludedIds: bigint[] = [];
  for (const e of bundle.exclusions) {
    if (!isReason(e.reason)) {
      problems.push({ code: 'EXCLUSIONS', message: `exclusion of ${e.user_id} has no reason` });
    }
    try {
      excludedIds.push(parseUserId(e.user_id));
    } catch (err) {
      return fail('EXCLUSIONS', (err as Error).message);
    }
  }
  let selector: DrawSelector;
  try {
    selector = new DrawSelector({ entrants, seed, exclusions: excludedIds });
  } catch (err) {
    return fail('EXCLUSIONS', (err as Error).message);
  }
  const selection = selector.draw(bundle.winners_count, bundle.reserves_count);

  const expectedWinners = selection.winners.map((id) => toJsonUserId(id));
  const winnersMatch =
    bundle.winners.length === expectedWinners.length &&
    bundle.winners.every((w, i) => w.place === i + 1 && sameUserId(w.user_id, expectedWinners[i]));
  if (!winnersMatch) {
    problems.push({
      code: 'WINNERS',
      message: `winners are [${bundle.winners.map((w) => `${w.place}:${w.user_id}`).join(', ')}], the draw gives [${expectedWinners.join(', ')}]`,
    });
  }
  const expectedReserves = selection.reserves.map((id) => toJsonUserId(id));
  const reservesMatch =
    bundle.reserves.length === expectedReserves.length &&
    bundle.reserves.every((id, i) => sameUserId(id, expectedReserves[i]));
  if (!reservesMatch) {
    problems.push({
      code: 'RESERVES',
      message: `reserves are [${bundle.reserves.join(', ')}], the draw gives [${expectedReserves.join(', ')}]`,
    });
  }

  for (const [i, r] of bundle.rerolls.entries()) {
    const holder = selector.winners[r.place - 1];
    if (!isReason(r.reason)) problems.push({ code: 'REROLLS', message: `reroll #${i + 1} has no reason` });
    if (holder === undefined || !sameUserId(r.replaced_user_id, holder)) {
      return fail('REROLLS', `reroll #${i + 1}: place ${r.place} is not held by ${r.replaced_user_id}`);
    }
    let by: bigint;
    try {
      by = selector.reroll(r.place).byUserId;
    } catch (err) {
      return fail('REROLLS', `reroll #${i + 1}: ${(err as Error).message}`);
    }
    if (!sameUserId(r.by_user_id, by)) {
      return fail('REROLLS', `reroll #${i + 1}: replacement is ${r.by_user_id}, the stream gives ${by}`);
    }
  }

  // Checked after rerolls because a continued stream may reach an excluded entrant too.
  const picked = new Set(selector.excludedPicks);
  for (const id of excludedIds) {
    if (!picked.has(id)) {
      problems.push({ code: 'EXCLUSIONS', message: `${id} is excluded but was never picked` });
    }
  }
  return { selector, problems };
}

function buildBeaconProof(
  beacon: NonNullable<BuildProofBundleInput['beacon']>,
  verify: BeaconSignatureVerifier | undefined,
): BeaconProof {
  const signature = toBytes(beacon.signature, 'beacon signature');
  const randomness = beaconRandomness(signature);
  if (
    beacon.randomness !== undefined &&
    !toBytes(beacon.randomness, 'beacon randomness').equals(randomness)
  ) {
    throw new DrawProtocolError('INVALID_BEACON', 'beacon randomness is not H(signature)');
  }
  const message = beaconSignedMessage(beacon.round);
  if (verify && !verify({ round: beacon.round, signature, message, ...verifierKey })) {
    throw new DrawProtocolError(
      'INVALID_BEACON',
      `beacon signature for round ${beacon.round} does not verify`,
    );
  }
  return {
    network: QUICKNET.network,
    chain_hash: QUICKNET.chainHash,
    round: beacon.round,
    signature: signature.toString('hex'),
    randomness: randomness.toString('hex'),
  };
}

const verifierKey = { publicKey: QUICKNET.publicKey, scheme: QUICKNET.scheme, dst: QUICKNET.dst } as const;

function checkBeacon(
  beacon: BeaconProof,
  verify: BeaconSignatureVerifier | undefined,
  report: Report,
  skipped: 'beacon_signature'[],
): void {
  if (beacon.network !== QUICKNET.network || beacon.chain_hash !== QUICKNET.chainHash) {
    report('BEACON', `beacon is ${beacon.network}/${beacon.chain_hash}, expected drand quicknet`);
  }
  const signature = Buffer.from(beacon.signature, 'hex');
  if (beaconRandomness(signature).toString('hex') !== beacon.randomness) {
    report('BEACON_RANDOMNESS', 'beacon randomness is not H(signature)');
  }
  if (!verify) {
    skipped.push('beacon_signature');
    return;
  }
  let verified = false;
  try {
    verified = verify({
      round: beacon.round,
      signature,
      message: beaconSignedMessage(beacon.round),
      ...verifierKey,
    });
  } catch (err) {
    report('BEACON_SIGNATURE', `signature verifier failed: ${(err as Error).message}`);
    return;
  }
  if (!verified) report('BEACON_SIGNATURE', `beacon signature for round ${beacon.round} does not verify`);
}

function checkPublished(
  bundle: RandomProofBundle,
  published: NonNullable<VerifyOptions['published']>,
  report: Report,
): void {
  if (published.seed_commitment !== bundle.seed_commitment) {
    report('NOT_AS_PUBLISHED', 'seed_commitment differs from the one published at creation');
  }
  const a = published.beacon;
  const b = bundle.beacon;
  const same =
    a === null
      ? b === null
      : b !== null && a.network === b.network && a.chain_hash === b.chain_hash && a.round === b.round;
  if (!same) report('NOT_AS_PUBLISHED', 'beacon differs from the one published at creation');
}

function checkEntrantsSummary(b: Record<string, unknown>, frozen: FrozenEntrants, report: Report): void {
  if (b.entrants_root !== frozen.root.toString('hex')) {
    report(
      'ENTRANTS_ROOT',
      `entrant list hashes to ${frozen.root.toString('hex')}, not ${show(b.entrants_root)}`,
    );
  }
  if (b.entrants_count !== frozen.count) {
    report(
      'ENTRANTS_COUNT',
      `entrant list has ${frozen.count} entrants, bundle says ${show(b.entrants_count)}`,
    );
  }
  if (b.total_weight !== frozen.totalWeight) {
    report('TOTAL_WEIGHT', `entrant list weighs ${frozen.totalWeight}, bundle says ${show(b.total_weight)}`);
  }
}

function checkManualWinners(b: Record<string, unknown>, frozen: FrozenEntrants, report: Report): void {
  if (typeof b.giveaway_id !== 'string' || !isIsoTime(b.drawn_at) || !isCount(b.winners_count)) {
    report('MALFORMED', 'manual bundle needs giveaway_id, drawn_at and winners_count');
  }
  if (!Array.isArray(b.winners)) {
    report('MALFORMED', 'winners is not a list');
    return;
  }
  if (isCount(b.winners_count) && b.winners.length > b.winners_count) {
    report('WINNERS', `${b.winners.length} winners for ${b.winners_count} places`);
  }
  const seen = new Set<bigint>();
  for (const [i, w] of (b.winners as unknown[]).entries()) {
    const pick = w as Partial<ManualPick> | null;
    if (typeof pick !== 'object' || pick === null || pick.place !== i + 1 || !isIsoTime(pick.picked_at)) {
      report('WINNERS', `winner #${i + 1} needs place ${i + 1} and picked_at`);
      continue;
    }
    let id: bigint;
    try {
      id = parseUserId(pick.user_id);
    } catch (err) {
      report('WINNERS', `winner #${i + 1}: ${(err as Error).message}`);
      continue;
    }
    if (seen.has(id)) report('WINNERS', `${id} picked twice`);
    seen.add(id);
    if (findEntrantIndex(frozen, id) < 0) report('WINNERS', `winner ${id} is not an entrant`);
  }
}

/** Shape check for a bundle that may come from untrusted JSON; null when it is well-formed. */
function randomShapeProblem(b: Record<string, unknown>): string | null {
  if (typeof b.giveaway_id !== 'string') return 'giveaway_id is not a string';
  if (!isHex(b.server_seed, 32)) return 'server_seed is not 32 hex bytes';
  if (!isHex(b.seed_commitment, 32)) return 'seed_commitment is not 32 hex bytes';
  if (!isHex(b.entrants_root, 32)) return 'entrants_root is not 32 hex bytes';
  if (!isCount(b.winners_count) || !isCount(b.reserves_count)) {
    return 'winners_count/reserves_count are not counts';
  }
  if (!isIsoTime(b.drawn_at)) return 'drawn_at is not an ISO-8601 time';
  if (b.beacon !== null) {
    const beacon: unknown = b.beacon;
    if (!isRecord(beacon)) return 'beacon is neither null nor an object';
    if (!Number.isSafeInteger(beacon.round) || (beacon.round as number) < 1) return 'beacon round is invalid';
    if (!isHex(beacon.signature) || !isHex(beacon.randomness, 32)) {
      return 'beacon signature/randomness not hex';
    }
    if (typeof beacon.network !== 'string' || typeof beacon.chain_hash !== 'string') {
      return 'beacon chain missing';
    }
  }
  const lists = ['exclusions', 'winners', 'reserves', 'rerolls'] as const;
  for (const key of lists) if (!Array.isArray(b[key])) return `${key} is not a list`;
  const records = (key: string): Record<string, unknown>[] => b[key] as Record<string, unknown>[];
  if (!records('exclusions').every((e) => isRecord(e) && isJsonId(e.user_id))) {
    return 'exclusions are malformed';
  }
  if (!records('winners').every((w) => isRecord(w) && isJsonId(w.user_id) && isCount(w.place))) {
    return 'winners are malformed';
  }
  if (!(b.reserves as unknown[]).every(isJsonId)) return 'reserves are malformed';
  const rerollsOk = records('rerolls').every(
    (r) => isRecord(r) && isCount(r.place) && isJsonId(r.replaced_user_id) && isJsonId(r.by_user_id),
  );
  return rerollsOk ? null : 'rerolls are malformed';
}

/** For messages about values that may be anything, since they come from untrusted JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return value === null ? 'null' : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isJsonId(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint';
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isHex(value: unknown, bytes?: number): value is string {
  if (typeof value !== 'string' || value.length === 0 || !/^(?:[0-9a-f]{2})+$/.test(value)) return false;
  return bytes === undefined || value.length === bytes * 2;
}

function isIsoTime(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

function isReason(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function toBytes(value: string | Uint8Array, what: string): Buffer {
  if (typeof value !== 'string') return Buffer.from(value);
  if (!isHex(value)) throw new DrawProtocolError('INVALID_BEACON', `${what} must be lowercase hex`);
  return Buffer.from(value, 'hex');
}
