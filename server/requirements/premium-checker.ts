// Telegram Premium: users.is_premium, copied from init-data each time the user opens the Mini App.
import {
  failed,
  passed,
  type RequirementChecker,
  type RequirementResult,
  type RequirementSubject,
  type StoredRequirement,
} from './requirement-checker.ts';

export class PremiumChecker implements RequirementChecker {
  readonly type = 'premium' as const;

  check(_requirement: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult> {
    return Promise.resolve(
      subject.isPremium
        ? passed('You have Telegram Premium')
        : failed(
            'not_premium',
            'Telegram Premium is required (reopen the app after subscribing to refresh your status)',
          ),
    );
  }
}
