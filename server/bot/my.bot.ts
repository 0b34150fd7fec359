// /my: the user's own giveaways and the live ones they joined, each with its count and an Open link.
import { Composer } from 'grammy';
import type { GiveawayView, ListQuery } from '../../schema/contract/giveaways.ts';
import type { Principal } from '../auth/index.ts';
import type { ListKind } from '../giveaways/index.ts';
import { clip, escapeHtml } from '../notifications/index.ts';
import type { BotContext } from './bot-context.ts';
import type { BotPrincipals } from './bot-principal.ts';
import { appLink } from './giveaway-card.ts';

export interface MyDeps {
  principals: BotPrincipals;
  giveaways: {
    list(principal: Principal, kind: ListKind, query: ListQuery): Promise<{ items: GiveawayView[] }>;
  };
}

const LIMIT = 10;

export function myComposer(deps: MyDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('my', async (ctx) => {
    if (!ctx.from) return;
    const principal = await deps.principals.of(ctx.from, { privateChat: ctx.chat.type === 'private' });
    const [created, joined] = await Promise.all([
      deps.giveaways.list(principal, 'me/all', { limit: LIMIT }),
      deps.giveaways.list(principal, 'me/participated', { limit: LIMIT }),
    ]);
    const line = (g: GiveawayView) =>
      `• <a href="${appLink(ctx.me.username, g.id)}">${escapeHtml(clip(g.title, 60))}</a> — ${g.status}, ${g.participants_count} joined`;
    const parts: string[] = [];
    if (created.items.length > 0) parts.push('<b>Created by you</b>', ...created.items.map(line));
    if (joined.items.length > 0) {
      if (parts.length > 0) parts.push('');
      parts.push('<b>Joined</b>', ...joined.items.map(line));
    }
    if (parts.length === 0) parts.push('You have no giveaways yet. Send /new to create one.');
    await ctx.reply(parts.join('\n'), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  });
  return composer;
}
