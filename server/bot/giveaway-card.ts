// The giveaway as a chat message: title, prizes, deadline, live count and requirements, with a Join button
// while it accepts entries and an Open App button always.
import type { InlineKeyboardButton } from 'grammy/types';
import type { GiveawayView } from '../../schema/contract/giveaways.ts';
import { clip, escapeHtml, formatUtc, prizeLabel, timeLeft } from '../notifications/index.ts';
import { callbackData } from './callback-data.ts';

export interface Card {
  html: string;
  keyboard: InlineKeyboardButton[][];
}

export function appLink(botUsername: string, giveawayId: string): string {
  return `https://t.me/${botUsername}?startapp=${giveawayId}`;
}

export function isJoinable(view: Pick<GiveawayView, 'status' | 'ends_at'>, now = Date.now()): boolean {
  return view.status === 'active' && new Date(view.ends_at).getTime() > now;
}

export function giveawayCard(view: GiveawayView, botUsername: string, now = Date.now()): Card {
  const lines = [`🎁 <b>${escapeHtml(clip(view.title, 100))}</b>`];
  if (view.description) lines.push(escapeHtml(clip(view.description, 300)));
  if (view.prizes.length > 0) {
    lines.push('', '<b>Prizes</b>');
    for (const prize of view.prizes.slice(0, 10)) lines.push(`• ${escapeHtml(clip(prizeLabel(prize), 60))}`);
  }
  lines.push('', `👥 Participants: <b>${view.participants_count}</b>`);
  lines.push(`🏆 Winners: <b>${view.winners_count}</b>`);
  const joinable = isJoinable(view, now);
  if (joinable) lines.push(`⏰ Ends: ${formatUtc(view.ends_at)} (in ${timeLeft(view.ends_at, now)})`);
  else lines.push(`⏰ ${statusLine(view.status)}`);
  const requirements = (view.requirements as Array<{ name?: string }>).filter((r) => r.name);
  if (requirements.length > 0) {
    lines.push('', '<b>To take part</b>');
    for (const r of requirements.slice(0, 10)) lines.push(`• ${escapeHtml(clip(r.name ?? '', 80))}`);
  }
  const keyboard: InlineKeyboardButton[][] = [];
  if (joinable) keyboard.push([{ text: '🎉 Join', callback_data: callbackData.join(view.id) }]);
  keyboard.push([{ text: 'Open App', url: appLink(botUsername, view.id) }]);
  return { html: lines.join('\n'), keyboard };
}

function statusLine(status: GiveawayView['status']): string {
  switch (status) {
    case 'scheduled':
      return 'Not started yet';
    case 'pending':
      return 'Ended: the organiser is choosing the winners';
    case 'completed':
      return 'Ended: winners have been selected';
    case 'cancelled':
      return 'Cancelled';
    default:
      return 'Ended';
  }
}
