// Custom requirements are free text the creator verifies by hand: they always pass here, and a giveaway
// that has one ends `pending` for the creator's winners list.
import { passed, type RequirementChecker, type RequirementResult } from './requirement-checker.ts';

export class CustomChecker implements RequirementChecker {
  readonly type = 'custom' as const;

  check(): Promise<RequirementResult> {
    return Promise.resolve(passed('Checked by the giveaway creator'));
  }
}
