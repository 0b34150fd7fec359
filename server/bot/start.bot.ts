// /start (optionally with a giveaway id from a deep link) shows the giveaway card; its Join button goes
// through JoinsService.join, the same path as REST and sockets, and answers with the outcome.
import { Composer, type CallbackQueryContext } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import type { GiveawayView } from '../../schema/contract/giveaways.ts';
import type { JoinsService } from '../joins/index.ts';
import { escapeHtml } from '../notifications/index.ts';
import { toAppError, type AppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';
import type { BotContext } from './bot-context.ts';
import type { BotPrincipals } from './bot-principal.ts';
import { parseCallback, parseStartPayload } from './callback-data.ts';
import { giveawayCard } from './giveaway-card.ts';

export interface StartDeps {
  principals: BotPrincipals;
  giveaways: { get(principal: undefined, id: string): Promise<GiveawayView> };
  joins: Pick<JoinsService, 'join'>;
  /** The REST join rate limit (per user), so the bot is no way around it. */
  limitJoin?: (userId: number) => Promise<void>;
  logger: Logger;
}

const WELCOME = [
  '👋 <b>Giveaways on Telegram</b>',
  '',
  'Open a giveaway link to see it and join.',
  '/my — your giveaways',
  '/new — create a giveaway here in the chat',
].join('\n');

export function startComposer(deps: StartDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(['start', 'help'], async (ctx) => {
    if (ctx.from) await deps.principals.of(ctx.from, { privateChat: ctx.chat.type === 'private' });
    const id = parseStartPayload(ctx.match);
    if (!id) return void (await ctx.reply(WELCOME, { parse_mode: 'HTML' }));
    const view = await loadGiveaway(deps, id);
    if (!view) return void (await ctx.reply('This giveaway does not exist (any more).'));
    const card = giveawayCard(view, ctx.me.username);
    await ctx.reply(card.html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: card.keyboard },
    });
  });

  composer.callbackQuery(/^j:/, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== 'join') return void (await ctx.answerCallbackQuery('This button has expired.'));
    const principal = await deps.principals.of(ctx.from, { privateChat: ctx.chat?.type === 'private' });
    try {
      await deps.limitJoin?.(principal.userId);
      const status = await deps.joins.join(principal, action.giveawayId, 'bot');
      await ctx.answerCallbackQuery(
        status === 'joined' ? "🎉 You're in! Good luck." : 'You have already joined this giveaway.',
      );
      if (status === 'joined') await refreshCard(ctx, deps, action.giveawayId);
    } catch (err) {
      await answerFailure(ctx, deps, toAppError(err), action.giveawayId);
    }
  });

  return composer;
}

async function loadGiveaway(deps: StartDeps, id: string): Promise<GiveawayView | undefined> {
  try {
    return await deps.giveaways.get(undefined, id);
  } catch (err) {
    if (toAppError(err).code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/** Shows the new count on the card; an unchanged or too-old message is fine to leave as it is. */
async function refreshCard(ctx: CallbackQueryContext<BotContext>, deps: StartDeps, id: string) {
  const view = await loadGiveaway(deps, id).catch(() => undefined);
  if (!view || !ctx.callbackQuery.message) return;
  const card = giveawayCard(view, ctx.me.username);
  await ctx
    .editMessageText(card.html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: card.keyboard },
    })
    .catch(() => undefined);
}

interface RequirementDetail {
  status: string;
  reason: string;
  link: string | null;
}

async function answerFailure(
  ctx: CallbackQueryContext<BotContext>,
  deps: StartDeps,
  err: AppError,
  giveawayId: string,
): Promise<void> {
  switch (err.code) {
    case 'REQUIREMENTS_NOT_MET': {
      await ctx.answerCallbackQuery('Some requirements are not met yet.');
      const details = (err.details as { results?: RequirementDetail[] } | undefined)?.results ?? [];
      const missing = details.filter((d) => d.status !== 'passed');
      const lines = ['To join, complete these first:', ...missing.map((d) => `• ${escapeHtml(d.reason)}`)];
      const buttons: InlineKeyboardButton[][] = missing
        .filter(
          (d): d is RequirementDetail & { link: string } =>
            typeof d.link === 'string' && /^https:\/\//.test(d.link),
        )
        .slice(0, 8)
        .map((d) => [{ text: d.reason.slice(0, 60), url: d.link }]);
      buttons.push([{ text: '🔄 Try again', callback_data: ctx.callbackQuery.data }]);
      await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', reply_markup: { inline_keyboard: buttons } });
      return;
    }
    case 'REQUIREMENTS_UNKNOWN':
      return void (await ctx.answerCallbackQuery({
        text: 'The requirements could not be checked right now. Please try again in a moment.',
        show_alert: true,
      }));
    case 'GIVEAWAY_CLOSED':
      await ctx.answerCallbackQuery('This giveaway has ended.');
      return refreshCard(ctx, deps, giveawayId);
    case 'GIVEAWAY_FULL':
      return void (await ctx.answerCallbackQuery('This giveaway is full.'));
    case 'NOT_FOUND':
      return void (await ctx.answerCallbackQuery('This giveaway no longer exists.'));
    case 'USER_BANNED':
      return void (await ctx.answerCallbackQuery('Your account is banned.'));
    case 'FORBIDDEN':
      return void (await ctx.answerCallbackQuery(err.message.slice(0, 190)));
    case 'RATE_LIMITED':
      return void (await ctx.answerCallbackQuery('Too many attempts; please wait a minute.'));
    default:
      deps.logger.error({ err: err.cause ?? err, giveawayId }, 'Join from the bot failed');
      return void (await ctx.answerCallbackQuery('Something went wrong; please try again.'));
  }
}
