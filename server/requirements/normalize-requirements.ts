// Turns the create-time requirement items (mini-app-api §3.5), already shape-checked by the operation table's
// RequirementItemInput, into rows to insert: every accepted field kept (legacy dropped min_year and titles: BUG),
// types this server cannot check refused as UNSUPPORTED, naming the item.
import {
  MAX_REQUIREMENTS,
  type RequirementInput,
  type RequirementItemInput,
  type RequirementType,
} from '../../schema/contract/requirements.ts';
import { AppError } from '../platform/errors.ts';
import { emptyRequirement, type NewRequirement } from './requirement-checker.ts';

const NEEDS: Partial<Record<RequirementType, string>> = {
  subscription: 'the Telegram bot; this server cannot check them yet',
  boost: 'the Telegram bot; this server cannot check them yet',
  holdton: 'TonAPI, which this server is not set up for',
  holdjetton: 'TonAPI, which this server is not set up for',
};

/** `supports` tells whether a checker is registered for a type (subscription/boost need the bot's). */
export function normalizeRequirements(
  input: readonly RequirementItemInput[],
  supports: (type: RequirementType) => boolean,
): NewRequirement[] {
  if (input.length > MAX_REQUIREMENTS) {
    throw new AppError('VALIDATION', `at most ${MAX_REQUIREMENTS} requirements are allowed`, {
      fields: [{ field: 'requirements', message: `at most ${MAX_REQUIREMENTS} requirements are allowed` }],
    });
  }
  return input.map((item, i) => {
    const field = `requirements.${i}.type`;
    if (item.type === 'connectwallet') {
      throw new AppError('UNSUPPORTED', 'connectwallet requirements are not supported yet', { field });
    }
    const needs = NEEDS[item.type];
    if (needs !== undefined && !supports(item.type)) {
      throw new AppError('UNSUPPORTED', `${item.type} requirements need ${needs}`, { field });
    }
    return toRow(item);
  });
}

function toRow(input: RequirementInput): NewRequirement {
  const row = emptyRequirement(input.type);
  switch (input.type) {
    case 'subscription':
    case 'boost':
      row.channel_id = input.channel_id ?? null;
      row.channel_username = input.channel_username ?? null;
      break;
    case 'custom':
      row.name = input.name ?? null;
      row.description = input.description ?? null;
      break;
    case 'account_age':
      row.account_age_min_year = input.account_age_min_year ?? null;
      row.account_age_max_year = input.account_age_max_year ?? null;
      break;
    case 'premium':
      break;
    case 'holdton':
      row.ton_min_balance_nano = input.ton_min_balance_nano;
      break;
    case 'holdjetton':
      // Tokens as sent; the holdjetton checker's create hook scales them by the jetton's decimals.
      row.jetton_address = input.jetton_address;
      row.jetton_min_amount = input.jetton_min_amount;
      break;
  }
  return row;
}
