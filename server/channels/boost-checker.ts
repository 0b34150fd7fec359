// The `boost` requirement: first the boost set fed by chat_boost updates (no API call), then
// getUserChatBoosts, whose positive answer is remembered in the set until the boost expires.
import type {
  NewRequirement,
  RequirementChecker,
  RequirementResult,
  RequirementSubject,
  StoredRequirement,
} from '../requirements/index.ts';
import { failed, passed, unknown } from '../requirements/index.ts';
import type { BoostSet } from './boost-set.ts';
import { boostUrl } from './channel-links.ts';
import { channelLabel, chatRef, fromTelegramError } from './channel-requirement.ts';
import type { ChannelCheckerDeps } from './subscription-checker.ts';

export class BoostChecker implements RequirementChecker {
  readonly type = 'boost' as const;

  constructor(private readonly deps: ChannelCheckerDeps & { boosts: BoostSet }) {}

  async check(req: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult> {
    const chat = chatRef(req);
    const link =
      req.channel_id != null || req.channel_username
        ? boostUrl({ id: Number(req.channel_id ?? 0), username: req.channel_username })
        : null;
    if (chat === null) return unknown('no_channel', 'This requirement names no channel', link);
    const label = channelLabel(req);
    const notMet = () => failed('not_boosted', `Boost ${label} to take part`, link);
    const chatId = typeof chat === 'number' ? chat : null;
    if (chatId !== null && (await this.deps.boosts.has(chatId, subject.userId))) {
      return passed(`Boosting ${label}`, link);
    }
    let boosts;
    try {
      ({ boosts } = await this.deps.telegram.getUserChatBoosts(chat, subject.userId));
    } catch (err) {
      return fromTelegramError(err, notMet, link);
    }
    if (boosts.length === 0) return notMet();
    if (chatId !== null) {
      const expires = Math.max(...boosts.map((b) => b.expiration_date));
      await this.deps.boosts.add(chatId, subject.userId, expires);
    }
    return passed(`Boosting ${label}`, link);
  }

  validateChannelRequirement(req: NewRequirement, ctx: { creatorId: number }): Promise<NewRequirement> {
    return this.deps.channels.prepareRequirement(req, ctx.creatorId);
  }
}
