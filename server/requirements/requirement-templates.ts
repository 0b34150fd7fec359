// The pickers of the create screen: requirement templates (mini-app-api §3.16, display order = list order)
// and prize templates (§3.15). Only types this server can accept right now are offered.
import type {
  PrizeTemplate,
  RequirementTemplate,
  RequirementType,
} from '../../schema/contract/requirements.ts';

const REQUIREMENT_TEMPLATES: readonly RequirementTemplate[] = [
  { id: 'subscription', name: 'Subscribe to a channel', type: 'subscription' },
  { id: 'boost', name: 'Boost a channel', type: 'boost' },
  { id: 'premium', name: 'Telegram Premium', type: 'premium' },
  { id: 'account_age', name: 'Account age', type: 'account_age' },
  { id: 'custom', name: 'Custom', type: 'custom' },
];

/** Always offered: checked without Telegram. subscription/boost only when their checker is registered. */
const ALWAYS: ReadonlySet<RequirementType> = new Set(['premium', 'account_age', 'custom']);
const WITH_CHECKER: ReadonlySet<RequirementType> = new Set(['subscription', 'boost']);

export function requirementTemplates(supports: (type: RequirementType) => boolean): RequirementTemplate[] {
  return REQUIREMENT_TEMPLATES.filter(
    (t) => ALWAYS.has(t.type) || (WITH_CHECKER.has(t.type) && supports(t.type)),
  ).map((t) => ({ ...t }));
}

export function prizeTemplates(): PrizeTemplate[] {
  return [{ name: 'Custom', description: 'Free-form custom prize', type: 'custom' }];
}
