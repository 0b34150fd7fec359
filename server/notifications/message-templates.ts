// The texts the bot sends on its own (not in reply): DMs to winners and creators, results posts, and the
// share caption. HTML with every interpolated value escaped; buttons carry the Mini App deep link.
import type { InlineKeyboardButton } from 'grammy/types';
import { clip, escapeHtml, formatUtc, ordinal, prizeLabel } from './format.ts';

export interface OutgoingMessage {
  html: string;
  buttons?: InlineKeyboardButton[][];
}

export interface PrizeLine {
  title: string;
  description?: string | null;
  quantity?: number | null;
}

const title = (text: string) => `«<b>${escapeHtml(clip(text, 100))}</b>»`;
const openButton = (text: string, url: string): InlineKeyboardButton[][] => [[{ text, url }]];

export function winnerMessage(p: {
  title: string;
  place: number;
  prizes: PrizeLine[];
  link: string;
  /** The giveaway asks winners to claim: the deadline and the Claim button's callback data. */
  claim?: { deadline: Date | string; callbackData: string };
}): OutgoingMessage {
  const lines = [`🎉 Congratulations! You won <b>${ordinal(p.place)} place</b> in ${title(p.title)}.`];
  if (p.prizes.length > 0) {
    lines.push('', p.prizes.length === 1 ? 'Your prize:' : 'Your prizes:');
    for (const prize of p.prizes.slice(0, 20)) {
      const description = prize.description ? ` — ${escapeHtml(clip(prize.description, 200))}` : '';
      lines.push(`• ${escapeHtml(prizeLabel(prize))}${description}`);
    }
    lines.push('', 'The organiser will contact you to hand it over.');
  }
  const buttons = openButton('Open Giveaway', p.link);
  if (p.claim) {
    lines.push(
      '',
      `⏳ Claim your place by <b>${formatUtc(p.claim.deadline)}</b>, or it passes to the next in line.`,
    );
    buttons.unshift([{ text: '✅ Claim', callback_data: p.claim.callbackData }]);
  }
  return { html: lines.join('\n'), buttons };
}

export function creatorPendingMessage(p: {
  title: string;
  entrants: number | null;
  deadline: string | null;
  link: string;
}): OutgoingMessage {
  const lines = [
    `⏳ Your giveaway ${title(p.title)} has ended and is waiting for you.`,
    '',
    'It has a custom requirement, so you choose the winners: review the participants, check the requirement and upload your winners list.',
  ];
  if (p.entrants !== null) lines.push(`Participants: <b>${p.entrants}</b>.`);
  if (p.deadline) lines.push(`Please finish by <b>${formatUtc(p.deadline)}</b>.`);
  return { html: lines.join('\n'), buttons: openButton('Open Giveaway', p.link) };
}

export function creatorCompletedMessage(p: {
  title: string;
  winners: number;
  link: string;
}): OutgoingMessage {
  const html =
    p.winners > 0
      ? `✅ Your giveaway ${title(p.title)} has completed: <b>${p.winners}</b> ${p.winners === 1 ? 'winner was' : 'winners were'} selected and ${p.winners === 1 ? 'is' : 'are'} being notified.`
      : `Your giveaway ${title(p.title)} has ended without winners: nobody eligible took part.`;
  return { html, buttons: openButton('View Giveaway', p.link) };
}

export function channelLostMessage(p: { title: string; channels: string[]; link: string }): OutgoingMessage {
  const names = p.channels.length > 0 ? p.channels.map((c) => escapeHtml(c)).join(', ') : 'a channel';
  const html = [
    `⚠️ The bot was removed from ${names}, so the requirements of ${title(p.title)} on it can no longer be checked.`,
    '',
    'Until you add the bot back as an administrator, new participants cannot join.',
  ].join('\n');
  return { html, buttons: openButton('Open Giveaway', p.link) };
}

export interface ResultsWinner {
  place: number;
  user_id: number;
  username: string | null;
  first_name: string;
}

export function resultsPostMessage(p: {
  title: string;
  participants: number;
  winners: ResultsWinner[];
  link: string;
}): OutgoingMessage {
  const lines = [
    `🏁 The giveaway ${title(p.title)} has ended.`,
    '',
    `Participants: <b>${p.participants}</b>`,
  ];
  if (p.winners.length === 0) lines.push('There were no eligible participants, so no winners.');
  else {
    lines.push('', 'Winners:');
    for (const w of p.winners.slice(0, 50)) {
      const name = w.username
        ? `@${escapeHtml(w.username)}`
        : `<a href="tg://user?id=${w.user_id}">${escapeHtml(clip(w.first_name || 'Winner', 64))}</a>`;
      lines.push(`${w.place}. ${name}`);
    }
  }
  return { html: lines.join('\n'), buttons: openButton('View Results', p.link) };
}

export interface ShareSource {
  title: string;
  ends_at: string;
  prizes: PrizeLine[];
  requirements: Array<{ name?: string }>;
  sponsors: Array<{ title: string; username: string }>;
}

/** The prepared inline message's caption (legacy "Giveaway is live" layout). */
export function shareCaption(g: ShareSource): string {
  const lines = [`🎁 <b>Giveaway is live!</b>`, '', `<b>${escapeHtml(clip(g.title, 100))}</b>`];
  if (g.sponsors.length > 0) {
    const names = g.sponsors.map((s) => (s.username ? `@${escapeHtml(s.username)}` : escapeHtml(s.title)));
    lines.push(`By ${names.join(', ')}`);
  }
  lines.push('', `⏰ Ends: ${formatUtc(g.ends_at)}`);
  if (g.prizes.length > 0) {
    lines.push('', '<b>Prizes</b>');
    for (const prize of g.prizes.slice(0, 10)) lines.push(`• ${escapeHtml(clip(prizeLabel(prize), 60))}`);
  }
  const requirements = g.requirements.filter((r) => r.name);
  if (requirements.length > 0) {
    lines.push('', '<b>Requirements</b>');
    for (const r of requirements.slice(0, 10)) lines.push(`• ${escapeHtml(clip(r.name ?? '', 80))}`);
  }
  // A caption is limited to 1024 characters; the lists above are capped well below it.
  return lines.join('\n');
}
