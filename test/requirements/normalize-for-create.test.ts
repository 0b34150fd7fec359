import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CreateGiveawayBody, RequirementItemInput } from '../../schema/contract/index.ts';
import { AppError } from '../../server/platform/errors.ts';
import { parseInput } from '../../server/platform/http/validate.ts';
import { RequirementsService, type NewRequirement } from '../../server/requirements/index.ts';
import { FakeChannelChecker } from './support.ts';

// Shape validation never touches the database: an unconnected pool is enough.
const newService = () =>
  new RequirementsService({
    pool: new pg.Pool(),
    logger: pino({ level: 'silent' }),
    redis: null,
    keyPrefix: 't:',
  });
const ctx = { creatorId: 1001 };
/** Items as the operation table hands them to the service: parsed by the contract's RequirementItemInput. */
const items = (raw: unknown[]) => z.array(RequirementItemInput).parse(raw);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('normalizeForCreate', () => {
  it('keeps every accepted field of premium, custom and account_age', () => {
    const rows = newService().normalizeForCreate(
      items([
        { type: 'premium' },
        { type: 'custom', name: '  Follow on X ', description: 'Follow @acme on X and keep it' },
        { type: 'custom', name: '', description: 'Only a description' },
        { type: 'account_age', account_age_max_year: 2019 },
        { type: 'account_age', account_age_min_year: 2015, account_age_max_year: 2020 },
        { type: 'account_age', account_age_min_year: 2016, account_age_max_year: null },
      ]),
      ctx,
    );
    expect(rows.map((r) => r.type)).toEqual([
      'premium',
      'custom',
      'custom',
      'account_age',
      'account_age',
      'account_age',
    ]);
    expect(rows[1]).toMatchObject({ name: 'Follow on X', description: 'Follow @acme on X and keep it' });
    expect(rows[2]).toMatchObject({ name: null, description: 'Only a description' });
    expect(rows[3]).toMatchObject({ account_age_min_year: null, account_age_max_year: 2019 });
    expect(rows[4]).toMatchObject({ account_age_min_year: 2015, account_age_max_year: 2020 });
    expect(rows[5]).toMatchObject({ account_age_min_year: 2016, account_age_max_year: null });
  });

  it('accepts custom texts up to what the database allows (100 / 1000), not only the client limits', () => {
    const [row] = newService().normalizeForCreate(
      items([{ type: 'custom', name: 'n'.repeat(100), description: 'd'.repeat(1000) }]),
      ctx,
    );
    expect(row).toMatchObject({ name: 'n'.repeat(100), description: 'd'.repeat(1000) });
  });

  it('rejects bad items with VALIDATION naming each field by index, at the contract', () => {
    const body = {
      title: 'T',
      duration: 600,
      winners_count: 1,
      requirements: [
        { type: 'premium' },
        { type: 'account_age' },
        { type: 'account_age', account_age_min_year: 2020, account_age_max_year: 2019 },
        { type: 'custom', name: ' ', description: '' },
        { type: 'custom', name: 'x'.repeat(101) },
        { type: 'teleport' },
        { nope: true },
        { type: 'account_age', account_age_max_year: 2012 },
      ],
    };
    const err = thrown(() => parseInput(CreateGiveawayBody, body, 'body'));
    expect(err.code).toBe('VALIDATION');
    const fields = (err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field);
    expect(fields).toEqual([
      'requirements.1.account_age_max_year',
      'requirements.2.account_age_min_year',
      'requirements.3.name',
      'requirements.4.name',
      'requirements.5.type',
      'requirements.6.type',
      'requirements.7.account_age_max_year',
    ]);
    expect(err.message).toBe(
      'Invalid requirements.1.account_age_max_year: account_age_min_year or account_age_max_year is required',
    );
  });

  it('allows at most 10 requirements', () => {
    const eleven = items(Array.from({ length: 11 }, () => ({ type: 'premium' })));
    expect(thrown(() => newService().normalizeForCreate(eleven, ctx)).code).toBe('VALIDATION');
    expect(newService().normalizeForCreate(eleven.slice(1), ctx)).toHaveLength(10);
  });

  it('refuses hold requirements as UNSUPPORTED when no TON checker is registered', () => {
    for (const item of [
      { type: 'holdton', amount: 1.5, ton_min_balance_nano: 1_500_000_000 },
      { type: 'holdjetton', address: 'EQC', amount: 1, jetton_address: 'EQC', jetton_min_amount: 1 },
    ]) {
      const err = thrown(() => newService().normalizeForCreate(items([item]), ctx));
      expect(err.code).toBe('UNSUPPORTED');
      expect(err.message).toBe(`${item.type} requirements need TonAPI, which this server is not set up for`);
    }
  });

  it('refuses subscription and boost as UNSUPPORTED until a Telegram checker is registered', () => {
    const service = newService();
    const sub = items([{ type: 'subscription', channel_id: -1001234567890, channel_username: 'acme' }]);
    const err = thrown(() => service.normalizeForCreate(sub, ctx));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/^subscription requirements need the Telegram bot; /);
    expect(service.supports('subscription')).toBe(false);

    service.register(new FakeChannelChecker('subscription'));
    expect(service.supports('subscription')).toBe(true);
    expect(service.normalizeForCreate(sub, ctx)).toEqual([
      expect.objectContaining({ type: 'subscription', channel_id: -1001234567890, channel_username: 'acme' }),
    ]);
    expect(
      service.normalizeForCreate(items([{ type: 'subscription', channel_username: '@acme' }]), ctx)[0],
    ).toMatchObject({
      channel_id: null,
      channel_username: 'acme',
    });
    expect(
      thrown(() => service.normalizeForCreate(items([{ type: 'boost', channel_id: -100 }]), ctx)).code,
    ).toBe('UNSUPPORTED');
    const noChannel = thrown(() =>
      parseInput(RequirementItemInput, { type: 'subscription', channel_username: '' }, 'body'),
    );
    expect(noChannel).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('channel_id'),
    });
  });

  it('runs a registered channel hook at prepareForCreate (ownership check, channel title)', async () => {
    const service = newService();
    const checker = Object.assign(new FakeChannelChecker('boost'), {
      validateChannelRequirement: (
        row: NewRequirement,
        c: { creatorId: number },
      ): Promise<NewRequirement> => {
        if (c.creatorId !== 1001) throw new AppError('FORBIDDEN', 'Not your channel');
        return Promise.resolve({ ...row, name: 'Acme News', avatar_url: 'https://cdn/acme.jpg' });
      },
    });
    service.register(checker);
    const rows = await service.prepareForCreate(
      items([{ type: 'boost', channel_id: -1001, channel_username: 'acme' }]),
      ctx,
    );
    expect(rows[0]).toMatchObject({ type: 'boost', name: 'Acme News', avatar_url: 'https://cdn/acme.jpg' });
    await expect(
      service.prepareForCreate(items([{ type: 'boost', channel_id: -1001 }]), { creatorId: 7 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
