// How stored requirements look to the Mini App: owner view items (IGiveawayRequirement) and check results,
// with human names ("Telegram Premium", "Subscribe to @x") and t.me links built from the stored channel.
import type { ChatInfo, RequirementCheckItem, RequirementView } from '../../schema/contract/requirements.ts';
import { describeYearBounds } from './account-age-checker.ts';
import type { RequirementResult, StoredRequirement } from './requirement-checker.ts';

const RETRY_SENTENCE = 'Could not check this requirement right now, please try again in a moment';

export function requirementName(req: StoredRequirement): string {
  const at = req.channel_username ? `@${req.channel_username}` : (req.name ?? 'the channel');
  switch (req.type) {
    case 'premium':
      return 'Telegram Premium';
    case 'account_age': {
      const bounds = describeYearBounds(req);
      if (bounds === null) return 'Account age';
      return bounds.startsWith('between')
        ? `Account registered ${bounds}`
        : `Account registered in ${bounds}`;
    }
    case 'custom':
      return req.name ?? 'Custom requirement';
    case 'subscription':
      return `Subscribe to ${at}`;
    case 'boost':
      return `Boost ${at}`;
    case 'holdton':
      return `Hold ${Number(req.ton_min_balance_nano ?? 0) / 1e9} TON`;
    case 'holdjetton':
      return `Hold ${jettonTokens(req) ?? 0} ${req.jetton_symbol || 'tokens'}`;
  }
}

/** The stored base units as tokens (rows created before jetton_decimals existed hold whole tokens). */
function jettonTokens(req: StoredRequirement): number | null {
  if (req.jetton_min_amount == null) return null;
  return Number(req.jetton_min_amount) / 10 ** (req.jetton_decimals ?? 0);
}

/** `-1001234567890` → `1234567890`, the id form t.me/c/ links use. */
function privateChannelId(chatId: number): string {
  const text = String(Math.abs(chatId));
  return String(chatId).startsWith('-100') ? text.slice(3) : text;
}

export function requirementUrl(req: StoredRequirement): string | undefined {
  const user = req.channel_username;
  if (req.type === 'boost') {
    if (user) return `https://t.me/boost/${user}`;
    if (req.channel_id != null) return `https://t.me/c/${privateChannelId(req.channel_id)}?boost`;
  }
  if (req.type === 'subscription' && !req.url) {
    if (user) return `https://t.me/${user}`;
    if (req.channel_id != null) return `https://t.me/c/${privateChannelId(req.channel_id)}`;
  }
  return req.url ?? undefined;
}

function channelInfo(req: StoredRequirement): ChatInfo | undefined {
  if (req.type !== 'subscription' && req.type !== 'boost') return undefined;
  const username = req.channel_username ?? '';
  return {
    ...(req.channel_id != null ? { id: req.channel_id } : {}),
    title: req.name ?? (username || 'Channel'),
    username,
    type: 'channel',
    avatar_url: req.avatar_url ?? '',
    ...(username ? { url: `https://t.me/${username}` } : {}),
  };
}

export function toView(req: StoredRequirement): RequirementView {
  const url = requirementUrl(req);
  const chat = channelInfo(req);
  const nano = req.ton_min_balance_nano;
  return {
    id: req.id,
    type: req.type,
    name: requirementName(req),
    checkable: req.checkable,
    ...(req.description ? { description: req.description } : {}),
    ...(req.channel_username ? { username: req.channel_username } : {}),
    ...(url ? { url } : {}),
    ...(req.avatar_url ? { avatar_url: req.avatar_url } : {}),
    ...(req.channel_id != null ? { channel_id: req.channel_id } : {}),
    ...(chat ? { channel: chat, chat_info: chat } : {}),
    ...(req.account_age_min_year != null ? { account_age_min_year: req.account_age_min_year } : {}),
    ...(req.account_age_max_year != null ? { account_age_max_year: req.account_age_max_year } : {}),
    ...(nano != null ? { ton_min_balance_nano: nano, amount: nano / 1e9 } : {}),
    ...(req.jetton_address ? { address: req.jetton_address, jetton_address: req.jetton_address } : {}),
    ...(req.jetton_min_amount != null
      ? { jetton_min_amount: jettonTokens(req) ?? 0, amount: jettonTokens(req) ?? 0 }
      : {}),
    ...(req.jetton_symbol ? { jetton_symbol: req.jetton_symbol } : {}),
    ...(req.jetton_image ? { jetton_image: req.jetton_image } : {}),
  };
}

export function toCheckItem(req: StoredRequirement, result: RequirementResult): RequirementCheckItem {
  const { chat_info, ...view } = toView(req);
  const error =
    result.status === 'failed'
      ? result.reason
      : result.status === 'unknown'
        ? result.code === 'uncheckable'
          ? result.reason
          : RETRY_SENTENCE
        : undefined;
  const link = result.link ?? view.url;
  return {
    ...view,
    username: req.channel_username ?? '',
    status: result.status === 'passed' ? 'success' : 'failed',
    code: result.code,
    ...(error !== undefined ? { error } : {}),
    ...(link ? { link } : {}),
    chat_info: chat_info ?? { title: view.name, username: '', type: req.type, avatar_url: '' },
  };
}
