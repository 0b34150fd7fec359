// verifyDraw: re-runs a draw from its public proof bundle and entrant list (draw protocol v1 §6) and reports
// each check: commitment, beacon, entrants root, selection with exclusions, rerolls. Never throws on bad input.
import { sha256 } from '@noble/hashes/sha2.js';
import type { ProofBundleResponse } from '../contract.ts';
import { verifyQuicknetSignature, QUICKNET, type BeaconRound } from './beacon.ts';
import { pickedWinners, randomBundleProblem, isRec, type Rec } from './bundle-shape.ts';
import { bytesToHex, hexToBytes, userIdKey } from './bytes.ts';
import { entrantColumns, type EntrantColumns, type EntrantInput } from './entrants.ts';
import { ReportBuilder, type VerifyReport } from './report.ts';
import { replaySelection } from './replay.ts';

type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/**
 * A proof bundle as `GET /api/v1/giveaways/:id/proof` serves it (read-only views of it are accepted too), or a
 * legacy `"mode": "imported"` one.
 *
 * @example
 * const bundle: DrawBundle = await client.draws.proof(id);
 */
export type DrawBundle =
  | Frozen<ProofBundleResponse>
  | { readonly protocol: string; readonly mode: 'imported'; readonly [key: string]: unknown };

/**
 * Options of verifyDraw.
 *
 * @example
 * await verifyDraw(bundle, entrants, { fetchBeacon: fetchDrandBeacon, published: { seed_commitment } });
 */
export interface VerifyDrawOptions {
  /**
   * Fetches the beacon round from drand itself (e.g. `fetchDrandBeacon`); the bundle's signature must then be
   * the one drand serves. Without it, the bundle's signature is still checked against the quicknet key.
   */
  fetchBeacon?: (round: number) => Promise<BeaconRound>;
  /** Replaces the built-in BLS check; `false` skips it (the step is then reported as skipped). */
  verifyBeacon?: ((beacon: BeaconRound) => boolean | Promise<boolean>) | false;
  /** What was published when the giveaway was created (§6.1), e.g. the view's `seed_commitment`. */
  published?: { seed_commitment?: string | null; beacon_round?: number | null };
}

/**
 * Verifies a draw end to end. Pass the bundle and the full entrant list served beside it.
 *
 * @example
 * const bundle = await client.draws.proof(giveawayId);
 * const entrants = await client.draws.entrants(giveawayId).all();
 * const report = await verifyDraw(bundle, entrants);
 * if (!report.ok) console.log(`failed at ${report.failedStep}:`, report.steps);
 */
export async function verifyDraw(
  bundle: DrawBundle,
  entrants: readonly EntrantInput[],
  options: VerifyDrawOptions = {},
): Promise<VerifyReport> {
  const r = new ReportBuilder();
  const b: unknown = bundle;
  if (!isRec(b)) return (r.fail('bundle', 'bundle is not an object'), r.build('random'));
  if (b.mode === 'manual' || b.mode === 'imported') return verifyPicked(b, b.mode, entrants, r);
  const shape =
    b.mode === undefined || b.mode === 'random'
      ? randomBundleProblem(b)
      : `unknown mode ${JSON.stringify(b.mode)}`;
  if (shape) return (r.fail('bundle', shape), r.build('random'));
  r.pass('bundle', 'well-formed giveaway-draw/v1 bundle');

  checkCommitment(b, options, r);
  await checkBeacon(b, options, r);
  const columns = checkEntrants(b, entrants, r);
  if (!columns) {
    r.blocked('selection', 'entrants');
    r.blocked('rerolls', 'entrants');
    return r.build('random');
  }
  const replayed = replaySelection(b, columns, r);
  return r.build('random', replayed.winners, replayed.places);
}

function checkCommitment(b: Rec, options: VerifyDrawOptions, r: ReportBuilder): void {
  const problems: string[] = [];
  if (bytesToHex(sha256(hexToBytes(b.server_seed as string))) !== b.seed_commitment) {
    problems.push('H(server_seed) does not equal seed_commitment');
  }
  const published = options.published?.seed_commitment;
  if (published != null && published !== b.seed_commitment) {
    problems.push('seed_commitment differs from the one published at creation');
  }
  r.check('commitment', problems, 'H(server_seed) equals seed_commitment');
}

async function checkBeacon(b: Rec, options: VerifyDrawOptions, r: ReportBuilder): Promise<void> {
  const publishedRound = options.published?.beacon_round;
  if (b.beacon === null) {
    if (publishedRound != null)
      return void r.fail('beacon', `round ${publishedRound} was committed, none used`);
    return r.pass('beacon', 'no beacon: commit-reveal only', true);
  }
  const beacon = b.beacon as {
    network: unknown;
    chain_hash: unknown;
    round: number;
    signature: string;
    randomness: string;
  };
  const problems: string[] = [];
  if (beacon.network !== QUICKNET.network || beacon.chain_hash !== QUICKNET.chainHash) {
    problems.push('beacon is not drand quicknet');
  }
  if (publishedRound != null && publishedRound !== beacon.round) {
    problems.push(`round ${beacon.round} is not the committed round ${publishedRound}`);
  }
  if (bytesToHex(sha256(hexToBytes(beacon.signature))) !== beacon.randomness) {
    problems.push('randomness is not H(signature)');
  }
  try {
    if (options.fetchBeacon) {
      const fetched = await options.fetchBeacon(beacon.round);
      if (fetched.signature !== beacon.signature)
        problems.push(`drand serves another signature for round ${beacon.round}`);
    }
    if (options.verifyBeacon === false) {
      if (problems.length === 0)
        return r.pass('beacon', 'randomness is H(signature); signature not checked', true);
    } else if (!(await (options.verifyBeacon ?? verifyQuicknetSignature)(beacon))) {
      problems.push(`BLS signature of round ${beacon.round} does not verify against the quicknet key`);
    }
  } catch (err) {
    problems.push(`beacon check failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  r.check('beacon', problems, `round ${beacon.round} signature verifies; randomness is H(signature)`);
}

function checkEntrants(b: Rec, entrants: readonly EntrantInput[], r: ReportBuilder): EntrantColumns | null {
  let columns: EntrantColumns;
  try {
    columns = entrantColumns(entrants);
  } catch (err) {
    return r.fail('entrants', `entrant list is invalid: ${(err as Error).message}`) || null;
  }
  const problems: string[] = [];
  if (columns.root !== b.entrants_root)
    problems.push(`entrant list hashes to ${columns.root}, not ${String(b.entrants_root)}`);
  if (columns.count !== b.entrants_count)
    problems.push(`${columns.count} entrants, bundle says ${String(b.entrants_count)}`);
  if (columns.totalWeight !== b.total_weight) {
    problems.push(`total weight ${columns.totalWeight}, bundle says ${String(b.total_weight)}`);
  }
  return r.check('entrants', problems, `${columns.count} entrants hash to entrants_root`) ? columns : null;
}

/** §7 manual bundles and imported ones: no randomness to re-run; winners must be distinct entrants. */
function verifyPicked(
  b: Rec,
  mode: 'manual' | 'imported',
  entrants: readonly EntrantInput[],
  r: ReportBuilder,
): VerifyReport {
  r.pass('randomness', `${mode} draw: winners were not drawn at random, so there is nothing to re-run`, true);
  const winners = pickedWinners(b);
  if (typeof winners === 'string') return (r.fail('winners', winners), r.build(mode));
  if (typeof b.entrants_root !== 'string') {
    r.pass('entrants', 'the bundle publishes no entrant list', true);
    r.pass('winners', `${winners.length} winners listed; without entrants they cannot be checked`, true);
    return r.build(mode, winners);
  }
  const columns = checkEntrants(b, entrants, r);
  if (!columns) return (r.blocked('winners', 'entrants'), r.build(mode, winners));
  const ids = new Set(entrants.map((e) => userIdKey(e.user_id)));
  const problems = winners
    .filter((w) => !ids.has(w.user_id))
    .map((w) => `winner ${w.user_id} is not an entrant`);
  if (new Set(winners.map((w) => w.user_id)).size !== winners.length)
    problems.push('a winner is listed twice');
  if (typeof b.winners_count === 'number' && winners.length > b.winners_count) {
    problems.push(`${winners.length} winners for ${b.winners_count} places`);
  }
  r.check('winners', problems, `${winners.length} distinct winners, all entrants`);
  return r.build(mode, winners);
}
