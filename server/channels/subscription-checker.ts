// The `subscription` requirement: getChatMember on the channel. creator/administrator/member pass;
// `restricted` passes only while is_member (the legacy system counted every restricted user: BUG).
import type {
  NewRequirement,
  RequirementChecker,
  RequirementResult,
  RequirementSubject,
  StoredRequirement,
} from '../requirements/index.ts';
import { failed, passed, unknown } from '../requirements/index.ts';
import { channelUrl } from './channel-links.ts';
import { channelLabel, chatRef, fromTelegramError } from './channel-requirement.ts';
import type { ChannelsService } from './channels.service.ts';
import type { ChannelsTelegram } from './telegram-port.ts';

export interface ChannelCheckerDeps {
  telegram: ChannelsTelegram;
  channels: Pick<ChannelsService, 'prepareRequirement'>;
}

export class SubscriptionChecker implements RequirementChecker {
  readonly type = 'subscription' as const;

  constructor(private readonly deps: ChannelCheckerDeps) {}

  async check(req: StoredRequirement, subject: RequirementSubject): Promise<RequirementResult> {
    const chat = chatRef(req);
    const link = req.url ?? linkOf(req);
    if (chat === null) return unknown('no_channel', 'This requirement names no channel', link);
    const label = channelLabel(req);
    const notMet = () => failed('not_subscribed', `Subscribe to ${label} to take part`, link);
    let member;
    try {
      member = await this.deps.telegram.getChatMember(chat, subject.userId);
    } catch (err) {
      return fromTelegramError(err, notMet, link);
    }
    switch (member.status) {
      case 'creator':
      case 'administrator':
      case 'member':
        return passed(`Subscribed to ${label}`, link);
      case 'restricted':
        return member.is_member ? passed(`Subscribed to ${label}`, link) : notMet();
      default:
        return notMet();
    }
  }

  validateChannelRequirement(req: NewRequirement, ctx: { creatorId: number }): Promise<NewRequirement> {
    return this.deps.channels.prepareRequirement(req, ctx.creatorId);
  }
}

function linkOf(req: StoredRequirement): string | null {
  if (req.channel_id == null && !req.channel_username) return null;
  return channelUrl({ id: Number(req.channel_id ?? 0), username: req.channel_username });
}
