// The Claim button of a winner DM: the same ClaimWindows.claim as the Mini App route and the SDK, with the
// presser as the principal. The answer says what happened; once claimed, the button leaves the message.
import { Composer, type CallbackQueryContext } from 'grammy';
import type { ClaimResult } from '../../schema/contract/draws.ts';
import type { Principal } from '../auth/index.ts';
import { toAppError } from '../platform/errors.ts';
import type { Logger } from '../platform/index.ts';
import type { BotContext } from './bot-context.ts';
import type { BotPrincipals } from './bot-principal.ts';
import { parseCallback } from './callback-data.ts';

export interface ClaimDeps {
  principals: BotPrincipals;
  claims: { claim(principal: Principal, giveawayId: string): Promise<ClaimResult> };
  logger: Logger;
}

export function claimComposer(deps: ClaimDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^c:/, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== 'claim') return void (await ctx.answerCallbackQuery('This button has expired.'));
    const principal = await deps.principals.of(ctx.from, { privateChat: ctx.chat?.type === 'private' });
    let result: ClaimResult;
    try {
      result = await deps.claims.claim(principal, action.giveawayId);
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'INTERNAL') {
        deps.logger.error({ err: e.cause ?? e, giveawayId: action.giveawayId }, 'Claim from the bot failed');
        return void (await ctx.answerCallbackQuery('Something went wrong; please try again.'));
      }
      // CONFLICT (window closed, place passed on), FORBIDDEN (no place), NOT_FOUND, USER_BANNED: say why.
      return void (await ctx.answerCallbackQuery({ text: e.message.slice(0, 190), show_alert: true }));
    }
    await ctx.answerCallbackQuery(
      result.status === 'claimed'
        ? `✅ Claimed! Place ${result.place} is yours.`
        : `You already claimed place ${result.place}.`,
    );
    await dropClaimButton(ctx);
  });
  return composer;
}

/** Keeps the message's other buttons (Open Giveaway); a message too old to edit keeps its button. */
async function dropClaimButton(ctx: CallbackQueryContext<BotContext>): Promise<void> {
  const message = ctx.callbackQuery.message;
  if (!message || !('reply_markup' in message)) return;
  const rows = (message.reply_markup?.inline_keyboard ?? [])
    .map((row) => row.filter((b) => !('callback_data' in b && b.callback_data === ctx.callbackQuery.data)))
    .filter((row) => row.length > 0);
  await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: rows } }).catch(() => undefined);
}
