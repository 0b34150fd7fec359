import { describe, expect, it } from 'vitest';
import { AccountAgeChecker } from '../../server/requirements/account-age-checker.ts';
import { CustomChecker } from '../../server/requirements/custom-checker.ts';
import { PremiumChecker } from '../../server/requirements/premium-checker.ts';
import { estimateRegistrationYear, type RequirementSubject } from '../../server/requirements/index.ts';
import { storedRequirement } from './support.ts';

const subject = (userId: number, isPremium = false): RequirementSubject => ({
  userId,
  isPremium,
  walletAddress: null,
});

describe('registration year estimate', () => {
  it('follows the legacy table at every boundary (inclusive upper bounds)', () => {
    const table: Array<[number, number]> = [
      [1, 2013],
      [52_481_424, 2013],
      [52_481_425, 2014],
      [112_594_714, 2014],
      [112_594_715, 2015],
      [260_972_612, 2015],
      [417_043_996, 2016],
      [619_538_293, 2017],
      [851_921_979, 2018],
      [851_921_980, 2019],
      [1_213_088_939, 2019],
      [1_974_255_900, 2020],
      [3_293_345_067, 2021],
      [5_171_460_881, 2022],
      [7_320_000_000, 2023],
      [7_320_000_001, 2024],
      [9_000_000_000, 2024],
    ];
    for (const [id, year] of table) expect([id, estimateRegistrationYear(id)]).toEqual([id, year]);
  });

  it('has no estimate for ids that are not Telegram user ids', () => {
    for (const id of [0, -5, 1.5, Number.NaN, 2 ** 60]) expect(estimateRegistrationYear(id)).toBeNull();
  });
});

describe('account age checker', () => {
  const checker = new AccountAgeChecker();
  const id2019 = 1_000_000_000;
  const id2021 = 3_000_000_000;

  it('passes when the estimated year is within [min, max], both inclusive', async () => {
    const cases = [
      { account_age_max_year: 2019 },
      { account_age_min_year: 2019 },
      { account_age_min_year: 2019, account_age_max_year: 2019 },
      { account_age_min_year: 2015, account_age_max_year: 2020 },
    ];
    for (const bounds of cases) {
      const result = await checker.check(
        storedRequirement({ type: 'account_age', ...bounds }),
        subject(id2019),
      );
      expect(result).toMatchObject({ status: 'passed', code: 'ok' });
    }
  });

  it('fails a too-new account with a sentence naming both years', async () => {
    const result = await checker.check(
      storedRequirement({ type: 'account_age', account_age_max_year: 2019 }),
      subject(id2021),
    );
    expect(result).toEqual({
      status: 'failed',
      code: 'account_too_new',
      reason: 'Account registered in 2021, must be 2019 or earlier',
      link: null,
    });
  });

  it('checks min_year too (the legacy system dropped it)', async () => {
    const result = await checker.check(
      storedRequirement({ type: 'account_age', account_age_min_year: 2020 }),
      subject(id2019),
    );
    expect(result).toMatchObject({
      status: 'failed',
      code: 'account_too_old',
      reason: 'Account registered in 2019, must be 2020 or later',
    });
    const between = await checker.check(
      storedRequirement({ type: 'account_age', account_age_min_year: 2015, account_age_max_year: 2018 }),
      subject(id2021),
    );
    expect(between.reason).toBe('Account registered in 2021, must be between 2015 and 2018');
  });

  it('answers unknown, never passed, when it cannot decide', async () => {
    const noBounds = await checker.check(storedRequirement({ type: 'account_age' }), subject(id2019));
    expect(noBounds).toMatchObject({ status: 'unknown', code: 'invalid_requirement' });
    const badId = await checker.check(
      storedRequirement({ type: 'account_age', account_age_max_year: 2030 }),
      subject(-1),
    );
    expect(badId).toMatchObject({ status: 'unknown', code: 'check_failed' });
  });
});

describe('premium and custom checkers', () => {
  it('premium passes only premium users', async () => {
    const checker = new PremiumChecker();
    const req = storedRequirement({ type: 'premium' });
    expect(await checker.check(req, subject(5, true))).toMatchObject({ status: 'passed' });
    expect(await checker.check(req, subject(5, false))).toMatchObject({
      status: 'failed',
      code: 'not_premium',
    });
  });

  it('custom always passes (the creator checks it by hand)', async () => {
    expect(await new CustomChecker().check()).toMatchObject({ status: 'passed', code: 'ok' });
  });
});
