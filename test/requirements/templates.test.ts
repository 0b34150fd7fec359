import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RequirementsService } from '../../server/requirements/index.ts';
import { FakeChannelChecker } from './support.ts';

const newService = () =>
  new RequirementsService({
    pool: new pg.Pool(),
    logger: pino({ level: 'silent' }),
    redis: null,
    keyPrefix: 't:',
  });

describe('requirement templates', () => {
  it('never offers hold types or connectwallet, even with checkers registered for them', () => {
    const service = newService();
    service.register(new FakeChannelChecker('holdton'));
    expect(service.templates().map((t) => t.type)).toEqual(['premium', 'account_age', 'custom']);
  });

  it('offers subscription and boost, first, once their Telegram checkers are registered', () => {
    const service = newService();
    service.register(new FakeChannelChecker('subscription'));
    expect(service.templates().map((t) => t.type)).toEqual([
      'subscription',
      'premium',
      'account_age',
      'custom',
    ]);
    service.register(new FakeChannelChecker('boost'));
    expect(service.templates().map((t) => t.id)).toEqual([
      'subscription',
      'boost',
      'premium',
      'account_age',
      'custom',
    ]);
  });
});
