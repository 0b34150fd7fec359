// Account age: the registration year estimated from the user id must lie within [min, max], both
// inclusive and both optional (legacy dropped min_year: BUG, fixed).
import { estimateRegistrationYear } from './registration-year.ts';
import {
  failed,
  passed,
  unknown,
  type RequirementChecker,
  type RequirementResult,
  type RequirementSubject,
  type StoredRequirement,
} from './requirement-checker.ts';

type Bounds = Pick<StoredRequirement, 'account_age_min_year' | 'account_age_max_year'>;

/** "2019 or earlier", "2015 or later", "between 2015 and 2019", "2019". */
export function describeYearBounds(req: Bounds): string | null {
  const min = req.account_age_min_year;
  const max = req.account_age_max_year;
  if (min != null && max != null) return min === max ? `${min}` : `between ${min} and ${max}`;
  if (max != null) return `${max} or earlier`;
  if (min != null) return `${min} or later`;
  return null;
}

export class AccountAgeChecker implements RequirementChecker {
  readonly type = 'account_age' as const;

  check(requirement: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult> {
    return Promise.resolve(this.decide(requirement, subject.userId));
  }

  private decide(req: Bounds, userId: number): RequirementResult {
    const bounds = describeYearBounds(req);
    if (bounds === null) return unknown('invalid_requirement', 'This requirement has no year bounds');
    const year = estimateRegistrationYear(userId);
    if (year === null) return unknown('check_failed', 'The account registration year cannot be estimated');
    const min = req.account_age_min_year;
    const max = req.account_age_max_year;
    if (max != null && year > max) {
      return failed('account_too_new', `Account registered in ${year}, must be ${bounds}`);
    }
    if (min != null && year < min) {
      return failed('account_too_old', `Account registered in ${year}, must be ${bounds}`);
    }
    return passed(`Account registered in ${year}`);
  }
}
