// Verifies a draw's evidence end to end with the protocol's verifier, a real BLS check of the beacon and, when
// relays are given, a comparison with what drand itself serves for the round. Shared by the verifier CLI and
// tests; reports named steps (verify-steps.ts) rather than throwing.
import { verifyQuicknetSignature } from '../beacon/index.ts';
import type { BeaconSource } from '../beacon/index.ts';
import type { MerkleWorkers } from '../entrants/index.ts';
import {
  currentWinners,
  verifyProofBundle,
  type FrozenEntrants,
  type RandomProofBundle,
  type VerificationResult,
} from '../protocol/index.ts';
import type { DrawEvidence } from './verify-source.ts';
import { verificationSteps, type VerifyStep } from './verify-steps.ts';

export interface EvidenceReport {
  ok: boolean;
  steps: VerifyStep[];
  /** Who holds each place now (rerolls applied), as the bundle says; meaningful when ok. */
  winners: Array<{ place: number; user_id: number | string }>;
}

export async function verifyEvidence(
  evidence: DrawEvidence,
  opts: { workers: MerkleWorkers; relays?: BeaconSource | null },
): Promise<EvidenceReport> {
  const { bundle } = evidence;
  let frozen: FrozenEntrants | null = null;
  let entrantsProblem = evidence.entrantsProblem;
  if (!entrantsProblem) {
    try {
      frozen = await opts.workers.freeze(evidence.entrants);
    } catch (err) {
      entrantsProblem = (err as Error).message;
    }
  }
  const result: VerificationResult = verifyProofBundle(bundle, frozen ?? [], {
    verifyBeaconSignature: verifyQuicknetSignature,
    ...(evidence.published ? { published: evidence.published } : {}),
  });
  const problems = [...result.problems];
  if (entrantsProblem) {
    // Without a readable list the replay ran on nothing; only the entrants problem is meaningful downstream.
    problems.splice(
      0,
      problems.length,
      ...problems.filter((p) => !p.code.startsWith('ENTRANTS') && p.code !== 'TOTAL_WEIGHT'),
    );
    problems.push({ code: 'ENTRANTS_INVALID', message: entrantsProblem });
  }
  const beacon = (bundle as RandomProofBundle).beacon;
  if (beacon && opts.relays) {
    try {
      const served = await opts.relays.fetchRound(beacon.round);
      if (served.signature !== beacon.signature) {
        problems.push({
          code: 'BEACON',
          message: `drand serves another signature for round ${beacon.round}`,
        });
      }
    } catch (err) {
      problems.push({ code: 'BEACON', message: `could not compare with drand: ${(err as Error).message}` });
    }
  }
  const steps = verificationSteps(bundle, {
    ...result,
    problems,
    ok: problems.length === 0 && result.skipped.length === 0,
  });
  const blocked = entrantsProblem !== null;
  const finalSteps = blocked
    ? steps.map((s) =>
        (s.step === 'selection' || s.step === 'rerolls' || s.step === 'winners') && s.ok
          ? { ...s, ok: false, message: 'not checked: the entrant list is unreadable' }
          : s,
      )
    : steps;
  return {
    ok: finalSteps.every((s) => s.ok),
    steps: finalSteps,
    winners: currentWinners(bundle).map((w) => ({ place: w.place, user_id: w.user_id })),
  };
}
