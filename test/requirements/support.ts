// Test-local helpers for requirements tests: a stored row builder and a Telegram-side checker double.
import type {
  RequirementChecker,
  RequirementResult,
  RequirementType,
  StoredRequirement,
} from '../../server/requirements/index.ts';

export function storedRequirement(
  fields: Partial<StoredRequirement> & Pick<StoredRequirement, 'type'>,
): StoredRequirement {
  return {
    id: 1,
    giveaway_id: '00000000-0000-4000-8000-000000000000',
    position: 0,
    channel_id: null,
    channel_username: null,
    name: null,
    description: null,
    avatar_url: null,
    url: null,
    ton_min_balance_nano: null,
    jetton_address: null,
    jetton_min_amount: null,
    account_age_min_year: null,
    account_age_max_year: null,
    jetton_decimals: null,
    jetton_symbol: null,
    jetton_image: null,
    checkable: true,
    created_at: '2025-01-01T00:00:00Z',
    ...fields,
  };
}

/** Stands in for the Telegram bot's checker (a later issue): answers what it is told and counts calls. */
export class FakeChannelChecker implements RequirementChecker {
  calls = 0;
  answer: RequirementResult | Error = { status: 'passed', reason: 'Subscribed', code: 'ok', link: null };
  constructor(readonly type: RequirementType = 'subscription') {}

  check(): Promise<RequirementResult> {
    this.calls++;
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
}
