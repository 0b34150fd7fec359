import { describe, expect, it } from 'vitest';
import { toCheckItem, toView } from '../../server/requirements/requirement-view.ts';
import { failed, passed, unknown } from '../../server/requirements/index.ts';
import { storedRequirement } from './support.ts';

describe('requirement views for the Mini App', () => {
  it('names each type and builds t.me links without @', () => {
    expect(toView(storedRequirement({ type: 'premium' }))).toMatchObject({
      type: 'premium',
      name: 'Telegram Premium',
    });
    expect(toView(storedRequirement({ type: 'account_age', account_age_max_year: 2019 }))).toMatchObject({
      name: 'Account registered in 2019 or earlier',
      account_age_max_year: 2019,
    });
    expect(
      toView(
        storedRequirement({ type: 'account_age', account_age_min_year: 2015, account_age_max_year: 2019 }),
      ).name,
    ).toBe('Account registered between 2015 and 2019');
    expect(
      toView(storedRequirement({ type: 'custom', name: 'Follow on X', description: 'Follow @acme' })),
    ).toMatchObject({
      name: 'Follow on X',
      description: 'Follow @acme',
    });
    const sub = toView(
      storedRequirement({
        type: 'subscription',
        channel_id: -1001234567890,
        channel_username: 'acme',
        name: 'Acme',
      }),
    );
    expect(sub).toMatchObject({
      name: 'Subscribe to @acme',
      username: 'acme',
      url: 'https://t.me/acme',
      channel_id: -1001234567890,
      chat_info: {
        id: -1001234567890,
        title: 'Acme',
        username: 'acme',
        type: 'channel',
        url: 'https://t.me/acme',
      },
    });
    expect(
      toView(storedRequirement({ type: 'boost', channel_id: -1001234567890, channel_username: 'acme' })),
    ).toMatchObject({
      name: 'Boost @acme',
      url: 'https://t.me/boost/acme',
    });
    expect(toView(storedRequirement({ type: 'boost', channel_id: -1001234567890 })).url).toBe(
      'https://t.me/c/1234567890?boost',
    );
    expect(toView(storedRequirement({ type: 'premium' }))).not.toHaveProperty('username');
  });

  it('maps check results: passed → success, failed → error sentence, unknown → failed asking to retry', () => {
    const age = storedRequirement({ type: 'account_age', account_age_max_year: 2019 });
    expect(toCheckItem(age, passed('Account registered in 2018'))).toMatchObject({
      status: 'success',
      username: '',
      chat_info: { title: 'Account registered in 2019 or earlier', username: '', avatar_url: '' },
    });
    const fail = toCheckItem(
      age,
      failed('account_too_new', 'Account registered in 2021, must be 2019 or earlier'),
    );
    expect(fail).toMatchObject({
      status: 'failed',
      code: 'account_too_new',
      error: 'Account registered in 2021, must be 2019 or earlier',
    });
    const unsure = toCheckItem(storedRequirement({ type: 'premium' }), unknown('check_failed', 'boom'));
    expect(unsure).toMatchObject({
      status: 'failed',
      code: 'check_failed',
      error: expect.stringMatching(/try again/),
    });
    expect(toCheckItem(storedRequirement({ type: 'premium' }), passed('ok'))).not.toHaveProperty('error');
  });
});
