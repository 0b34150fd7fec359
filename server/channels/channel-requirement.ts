// What the subscription and boost checkers share: which chat a stored requirement points at, how to name it
// to the user, and how a failed Bot API call becomes a result (unknown, never a pass).
import { TelegramError } from '../platform/telegram/telegram-error.ts';
import { unknown, type RequirementResult, type StoredRequirement } from '../requirements/index.ts';

export function chatRef(req: StoredRequirement): number | string | null {
  if (req.channel_id != null) return Number(req.channel_id);
  return req.channel_username ? `@${req.channel_username}` : null;
}

export function channelLabel(req: StoredRequirement): string {
  if (req.channel_username) return `@${req.channel_username}`;
  return req.name ?? 'the channel';
}

/** "The user was never in this chat" answers are a real no; everything else is "cannot decide". */
const NOT_A_PARTICIPANT = /PARTICIPANT_ID_INVALID|user not found|USER_NOT_PARTICIPANT/i;

export function fromTelegramError(
  err: unknown,
  notMet: () => RequirementResult,
  link: string | null,
): RequirementResult {
  if (!(err instanceof TelegramError)) {
    return unknown('check_failed', 'The check could not be completed', link);
  }
  if (err.kind === 'rate_limited') {
    return unknown('telegram_rate_limited', 'Telegram is busy; try again in a moment', link);
  }
  if (err.kind === 'not_found' && NOT_A_PARTICIPANT.test(err.description)) return notMet();
  if (err.kind === 'forbidden' || err.kind === 'not_found') {
    return unknown('channel_unavailable', 'The bot cannot see this channel right now', link);
  }
  return unknown('check_failed', 'The check could not be completed', link);
}
