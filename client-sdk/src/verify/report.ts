// The verifier's report: one entry per check of draw protocol v1 §6, in order, so a UI can show which one
// failed and why.

/**
 * The checks, in the order they run. `randomness` and `winners` are the manual/imported variants.
 *
 * @example
 * if (report.failedStep === 'entrants') alert('The entrant list does not match the proof.');
 */
export type VerifyStepName =
  'bundle' | 'commitment' | 'beacon' | 'entrants' | 'selection' | 'rerolls' | 'randomness' | 'winners';

/**
 * One check: `skipped` means it did not run (or ran partly) and says why in `message`.
 *
 * @example
 * for (const s of report.steps) console.log(s.ok ? '✓' : '✗', s.step, s.message);
 */
export interface VerifyStep {
  readonly step: VerifyStepName;
  readonly ok: boolean;
  readonly message: string;
  readonly skipped?: boolean;
}

/**
 * Who held one place, in order: the drawn winner, then each replacement with the reroll that made it and where
 * it came from (`reserve`: the next unused reserve of the proof, as an unclaimed place always is; `stream`:
 * reserves were used up and the draw continued). Every link was replayed, so each is checked.
 *
 * @example
 * for (const p of report.places) console.log(p.place, p.holders.map((h) => h.user_id).join(' → '));
 */
export interface PlaceChain {
  readonly place: number;
  readonly holders: ReadonlyArray<{
    readonly user_id: string;
    readonly via: 'draw' | 'reserve' | 'stream';
    /** The reroll's reason (`unclaimed`, `declined`, …); absent for the drawn winner. */
    readonly reason?: string;
  }>;
}

/**
 * What verifyDraw found. `ok` is true only when every step is ok.
 *
 * @example
 * const { ok, mode, winners } = await verifyDraw(bundle, entrants);
 */
export interface VerifyReport {
  readonly ok: boolean;
  /** `random` is a §5 draw; `manual` (§7) and `imported` bundles claim no randomness. */
  readonly mode: 'random' | 'manual' | 'imported';
  /** Whether the bundle claims a reproducible random draw at all. */
  readonly claimsRandomness: boolean;
  /** The first step that failed (skipped steps that depend on it are not counted), or null. */
  readonly failedStep: VerifyStepName | null;
  readonly steps: readonly VerifyStep[];
  /** Who holds each place after rerolls, as canonical decimal user ids (when the draw could be replayed). */
  readonly winners: ReadonlyArray<{ readonly place: number; readonly user_id: string }>;
  /** Each place's chain of holders (random draws that could be replayed; empty otherwise). */
  readonly places: readonly PlaceChain[];
}

export class ReportBuilder {
  readonly steps: VerifyStep[] = [];

  pass(step: VerifyStepName, message: string, skipped = false): void {
    this.steps.push(skipped ? { step, ok: true, message, skipped } : { step, ok: true, message });
  }

  fail(step: VerifyStepName, message: string): false {
    this.steps.push({ step, ok: false, message });
    return false;
  }

  /** A step that could not run because an earlier one failed: not ok, but not the cause either. */
  blocked(step: VerifyStepName, because: VerifyStepName): void {
    this.steps.push({ step, ok: false, skipped: true, message: `not checked: the ${because} step failed` });
  }

  /** ok/fail from a list of problems found by one step. */
  check(step: VerifyStepName, problems: string[], okMessage: string): boolean {
    return problems.length === 0 ? (this.pass(step, okMessage), true) : this.fail(step, problems.join('; '));
  }

  build(
    mode: VerifyReport['mode'],
    winners: VerifyReport['winners'] = [],
    places: VerifyReport['places'] = [],
  ): VerifyReport {
    const failed = this.steps.find((s) => !s.ok && !s.skipped);
    return {
      ok: this.steps.every((s) => s.ok),
      mode,
      claimsRandomness: mode === 'random',
      failedStep: failed?.step ?? null,
      steps: this.steps,
      winners,
      places,
    };
  }
}
