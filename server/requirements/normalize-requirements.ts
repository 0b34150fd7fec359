// Turns the Mini App's create-time requirement items (mini-app-api §3.5) into rows to insert: every accepted
// field kept (legacy dropped min_year and titles: BUG), bad fields reported by index, unsupported types refused.
import {
  MAX_REQUIREMENTS,
  REQUIREMENT_INPUTS,
  type RequirementInput,
  type RequirementType,
} from '../../schema/contract/requirements.ts';
import { AppError } from '../platform/errors.ts';
import { emptyRequirement, type NewRequirement } from './requirement-checker.ts';

interface FieldIssue {
  field: string;
  message: string;
}

const NOT_YET = new Set(['holdton', 'holdjetton', 'connectwallet']);
const NEEDS_BOT = new Set(['subscription', 'boost']);

/** `supports` tells whether a checker is registered for a type (subscription/boost need the bot's). */
export function normalizeRequirements(
  input: unknown,
  supports: (type: RequirementType) => boolean,
): NewRequirement[] {
  if (!Array.isArray(input)) throw invalid([{ field: 'requirements', message: 'must be an array' }]);
  if (input.length > MAX_REQUIREMENTS) {
    throw invalid([
      { field: 'requirements', message: `at most ${MAX_REQUIREMENTS} requirements are allowed` },
    ]);
  }
  const issues: FieldIssue[] = [];
  const rows: NewRequirement[] = [];
  input.forEach((item: unknown, i) => {
    const at = `requirements.${i}`;
    const type = typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') {
      issues.push({ field: `${at}.type`, message: 'a requirement type is required' });
      return;
    }
    if (NOT_YET.has(type)) {
      throw new AppError('UNSUPPORTED', `${type} requirements are not supported yet`, {
        field: `${at}.type`,
      });
    }
    if (NEEDS_BOT.has(type) && !supports(type as RequirementType)) {
      throw new AppError(
        'UNSUPPORTED',
        `${type} requirements need the Telegram bot; this server cannot check them yet`,
        { field: `${at}.type` },
      );
    }
    if (!Object.hasOwn(REQUIREMENT_INPUTS, type)) {
      issues.push({ field: `${at}.type`, message: `unknown requirement type "${type.slice(0, 40)}"` });
      return;
    }
    const schema = REQUIREMENT_INPUTS[type as keyof typeof REQUIREMENT_INPUTS];
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ field: [at, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return;
    }
    rows.push(toRow(parsed.data));
  });
  if (issues.length > 0) throw invalid(issues);
  return rows;
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
  }
  return row;
}

function invalid(fields: FieldIssue[]): AppError {
  const first = fields[0];
  const message = first ? `Invalid ${first.field}: ${first.message}` : 'Invalid requirements';
  return new AppError('VALIDATION', message, { fields });
}
