// /new: creating a giveaway in a private chat, one question at a time (title, prizes, winners, duration, a
// channel to subscribe to), then GiveawaysService.create — the same rules as the Mini App's create. The
// conversation lives in the grammY session (Redis when configured, so any node can continue it).
import { Composer, session, type StorageAdapter } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { CreateGiveawayBody, type GiveawayView } from '../../schema/contract/giveaways.ts';
import type { Principal } from '../auth/index.ts';
import type { ChannelsService } from '../channels/index.ts';
import { clip, escapeHtml, prizeLabel } from '../notifications/index.ts';
import { toAppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';
import type { BotContext, NewGiveawayDraft, SessionData } from './bot-context.ts';
import type { BotPrincipals } from './bot-principal.ts';
import { callbackData, parseCallback } from './callback-data.ts';
import { giveawayCard } from './giveaway-card.ts';
import {
  describeDuration,
  parseDuration,
  parsePrizes,
  parseTitle,
  parseWinners,
} from './new-giveaway-input.ts';

export interface NewGiveawayDeps {
  principals: BotPrincipals;
  giveaways: { create(principal: Principal, body: CreateGiveawayBody): Promise<GiveawayView> };
  channels: Pick<ChannelsService, 'listForUser'>;
  storage: StorageAdapter<SessionData>;
  /** The REST create rate limit (per user), so the bot is no way around it. */
  limitCreate?: (userId: number) => Promise<void>;
  /** 300 s, or 5 s in DEBUG (as the REST create). */
  minDurationSec: number;
  logger: Logger;
}

const PROMPTS = {
  title: '1/5 · What is the <b>title</b> of the giveaway?',
  prizes:
    '2/5 · What are the <b>prizes</b>? One per line, for example:\n<code>Telegram Premium</code>\n<code>Stars x100</code>',
  winners: '3/5 · How many <b>winners</b>? (1–1000)',
  duration: '4/5 · How long should it run? For example <code>30m</code>, <code>2h</code> or <code>3d</code>.',
};
const EXPIRED = 'This setup has expired. Send /new to start again.';

export function newGiveawayComposer(deps: NewGiveawayDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const chat = composer.chatType('private');
  chat.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage: deps.storage,
      getSessionKey: (ctx) => (ctx.from ? `new:${ctx.from.id}` : undefined),
    }),
  );

  chat.command('new', async (ctx) => {
    ctx.session.draft = { step: 'title' };
    await ctx.reply(`Let's create a giveaway. Send /cancel at any time.\n\n${PROMPTS.title}`, {
      parse_mode: 'HTML',
    });
  });

  chat.command('cancel', async (ctx) => {
    const had = ctx.session.draft !== undefined;
    ctx.session.draft = undefined;
    await ctx.reply(had ? 'Cancelled. Send /new to start again.' : 'Nothing to cancel.');
  });

  chat.on('message:text', async (ctx, next) => {
    const draft = ctx.session.draft;
    if (!draft || ctx.message.text.startsWith('/')) return next();
    const text = ctx.message.text;
    const reply = (html: string) => ctx.reply(html, { parse_mode: 'HTML' });
    switch (draft.step) {
      case 'title': {
        const r = parseTitle(text);
        if (!r.ok) return void (await reply(escapeHtml(r.error)));
        ctx.session.draft = { ...draft, title: r.value, step: 'prizes' };
        return void (await reply(PROMPTS.prizes));
      }
      case 'prizes': {
        const r = parsePrizes(text);
        if (!r.ok) return void (await reply(escapeHtml(r.error)));
        ctx.session.draft = { ...draft, prizes: r.value, step: 'winners' };
        return void (await reply(PROMPTS.winners));
      }
      case 'winners': {
        const r = parseWinners(text);
        if (!r.ok) return void (await reply(escapeHtml(r.error)));
        ctx.session.draft = { ...draft, winners: r.value, step: 'duration' };
        return void (await reply(PROMPTS.duration));
      }
      case 'duration': {
        const r = parseDuration(text, deps.minDurationSec);
        if (!r.ok) return void (await reply(escapeHtml(r.error)));
        ctx.session.draft = { ...draft, duration: r.value, step: 'channel' };
        return void (await askChannel(ctx, deps));
      }
      default:
        await reply('Use the buttons above, or send /cancel.');
    }
  });

  chat.callbackQuery(/^n:/, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    const draft = ctx.session.draft;
    if (!action || !draft) return void (await ctx.answerCallbackQuery(EXPIRED));
    if (action.kind === 'new-cancel') {
      ctx.session.draft = undefined;
      await ctx.answerCallbackQuery('Cancelled.');
      return void (await ctx.editMessageReplyMarkup().catch(() => undefined));
    }
    if (action.kind === 'new-channel' && draft.step === 'channel') {
      const channels = action.chatId === null ? [] : await deps.channels.listForUser(ctx.from.id);
      const picked = channels.find((c) => c.id === action.chatId);
      if (action.chatId !== null && !picked)
        return void (await ctx.answerCallbackQuery('That channel is not available.'));
      const next: NewGiveawayDraft = { ...draft, channelId: action.chatId, step: 'confirm' };
      if (picked) next.channelTitle = picked.title || picked.username;
      ctx.session.draft = next;
      await ctx.answerCallbackQuery();
      return void (await ctx.editMessageText(summary(next), {
        parse_mode: 'HTML',
        reply_markup: {
          inline_keyboard: [
            [{ text: '✅ Create', callback_data: callbackData.newCreate() }],
            [{ text: 'Cancel', callback_data: callbackData.newCancel() }],
          ],
        },
      }));
    }
    if (action.kind === 'new-create' && draft.step === 'confirm') return create(ctx, deps, draft);
    await ctx.answerCallbackQuery(EXPIRED);
  });

  return composer;
}

async function askChannel(ctx: BotContext, deps: NewGiveawayDeps): Promise<void> {
  const channels = ctx.from ? await deps.channels.listForUser(ctx.from.id) : [];
  const keyboard: InlineKeyboardButton[][] = channels
    .slice(-8)
    .map((c) => [
      { text: clip(c.title || c.username || String(c.id), 40), callback_data: callbackData.newChannel(c.id) },
    ]);
  keyboard.push([{ text: 'No channel requirement', callback_data: callbackData.newChannel(null) }]);
  const addLink = `https://t.me/${ctx.me.username}?startchannel&admin=invite_users+restrict_members+post_messages`;
  const text = [
    '5/5 · Must participants <b>subscribe to a channel</b>? Pick one of yours, or skip.',
    channels.length === 0
      ? `You have no channels with the bot yet: <a href="${addLink}">add the bot to a channel</a> as an administrator, then send /new again.`
      : 'The bot must be an administrator of the channel.',
  ].join('\n');
  await ctx.reply(text, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    reply_markup: { inline_keyboard: keyboard },
  });
}

function summary(d: NewGiveawayDraft): string {
  const prizes = (d.prizes ?? []).map((p) => `• ${escapeHtml(prizeLabel(p))}`).join('\n');
  return [
    `<b>${escapeHtml(d.title ?? '')}</b>`,
    prizes,
    `Winners: <b>${d.winners ?? 1}</b>`,
    `Runs for: <b>${describeDuration(d.duration ?? 0)}</b>`,
    `Subscribe to: <b>${d.channelTitle ? escapeHtml(d.channelTitle) : '—'}</b>`,
    '',
    'Create it?',
  ].join('\n');
}

async function create(ctx: BotContext, deps: NewGiveawayDeps, draft: NewGiveawayDraft): Promise<void> {
  if (!ctx.from) return;
  const principal = await deps.principals.of(ctx.from, { privateChat: true });
  let view: GiveawayView;
  try {
    const body = CreateGiveawayBody.parse({
      title: draft.title,
      duration: draft.duration,
      winners_count: draft.winners,
      prizes: draft.prizes ?? [],
      requirements: draft.channelId ? [{ type: 'subscription', channel_id: draft.channelId }] : [],
      sponsors: [],
    });
    await deps.limitCreate?.(principal.userId);
    view = await deps.giveaways.create(principal, body);
  } catch (err) {
    const e = toAppError(err);
    if (e.code === 'INTERNAL') deps.logger.error({ err }, 'Create from the bot failed');
    await ctx.answerCallbackQuery('Could not create it.');
    const channelProblem = (e.details as { reason?: string } | undefined)?.reason !== undefined;
    if (channelProblem) {
      ctx.session.draft = { ...draft, step: 'channel', channelId: undefined, channelTitle: undefined };
      await ctx.reply(`❌ ${escapeHtml(e.message)}`);
      return askChannel(ctx, deps);
    }
    await ctx.reply(
      `❌ ${escapeHtml(e.code === 'INTERNAL' ? 'Something went wrong; please try again.' : e.message)}`,
    );
    return;
  }
  ctx.session.draft = undefined;
  await ctx.answerCallbackQuery('Created!');
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  const card = giveawayCard(view, ctx.me.username);
  const share = `https://t.me/${ctx.me.username}?start=${view.id}`;
  await ctx.reply(`${card.html}\n\nShare it: ${share}`, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    reply_markup: { inline_keyboard: card.keyboard },
  });
}
