// The checks of draw protocol §6 as named steps, each passed or failed with a message, from the protocol's
// verifier result: what the verifier CLI prints and what tests use to tell at which step a tampered proof fails.
import type { ProofBundle, VerificationProblemCode, VerificationResult } from '../protocol/index.ts';

export type VerifyStepName =
  'bundle' | 'commitment' | 'beacon' | 'entrants' | 'selection' | 'rerolls' | 'winners';

export interface VerifyStep {
  step: VerifyStepName;
  ok: boolean;
  message: string;
}

const STEP_OF: Record<VerificationProblemCode, VerifyStepName> = {
  MALFORMED: 'bundle',
  PROTOCOL: 'bundle',
  SEED_COMMITMENT: 'commitment',
  NOT_AS_PUBLISHED: 'commitment',
  BEACON: 'beacon',
  BEACON_RANDOMNESS: 'beacon',
  BEACON_SIGNATURE: 'beacon',
  ENTRANTS_INVALID: 'entrants',
  ENTRANTS_ROOT: 'entrants',
  ENTRANTS_COUNT: 'entrants',
  TOTAL_WEIGHT: 'entrants',
  EXCLUSIONS: 'selection',
  WINNERS: 'selection',
  RESERVES: 'selection',
  REROLLS: 'rerolls',
};

/** One step per check, in §6 order; a step fails with every problem found for it. */
export function verificationSteps(bundle: ProofBundle, result: VerificationResult): VerifyStep[] {
  const manual = (bundle as { mode?: string }).mode === 'manual';
  const names: VerifyStepName[] = manual
    ? ['bundle', 'entrants', 'winners']
    : ['bundle', 'commitment', 'beacon', 'entrants', 'selection', 'rerolls'];
  const problems = new Map<VerifyStepName, string[]>();
  for (const p of result.problems) {
    const step = manual && STEP_OF[p.code] === 'selection' ? 'winners' : STEP_OF[p.code];
    problems.set(step, [...(problems.get(step) ?? []), p.message]);
  }
  if (result.skipped.includes('beacon_signature')) {
    problems.set('beacon', [...(problems.get('beacon') ?? []), 'the BLS signature was not checked']);
  }
  return names.map((step) => {
    const found = problems.get(step);
    return found
      ? { step, ok: false, message: found.join('; ') }
      : { step, ok: true, message: passed(step, bundle) };
  });
}

function passed(step: VerifyStepName, bundle: ProofBundle): string {
  const b = bundle as Partial<Record<string, unknown>> & ProofBundle;
  switch (step) {
    case 'bundle':
      return `well-formed ${b.protocol} bundle`;
    case 'commitment':
      return `H(server_seed) = seed_commitment ${String(b.seed_commitment)}`;
    case 'beacon': {
      const beacon = b.beacon as { round: number } | null | undefined;
      return beacon
        ? `drand quicknet round ${beacon.round}: BLS signature verifies`
        : 'none (commit-reveal only)';
    }
    case 'entrants':
      return `${b.entrants_count} entrants (total weight ${b.total_weight}) hash to ${b.entrants_root}`;
    case 'selection':
      return `${b.winners.length} winners and ${(b.reserves as unknown[]).length} reserves reproduced`;
    case 'rerolls':
      return `${(b.rerolls as unknown[]).length} rerolls replay on the same stream`;
    case 'winners':
      return `${b.winners.length} hand-picked winners, all entrants`;
  }
}
