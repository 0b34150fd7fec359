// The one transition table of giveaway statuses. Every status change (API, scheduler, draw, admin) asks it,
// so "who may move a giveaway from X to Y" is answered in exactly one place.
import type { GiveawayStatus } from '../../schema/contract/index.ts';
import { AppError } from '../platform/errors.ts';

/** Who may make a transition: the owner (or an admin acting for them), or only the system (scheduler, draw). */
export type Actor = 'owner' | 'system';

export const TRANSITIONS: Readonly<
  Record<GiveawayStatus, Partial<Record<GiveawayStatus, readonly Actor[]>>>
> = {
  scheduled: { active: ['system', 'owner'], cancelled: ['owner', 'system'] },
  // active → drawing: entries closed and the draw waits for its drand round (never a weaker source).
  active: { drawing: ['system'], completed: ['system'], pending: ['system'], cancelled: ['owner', 'system'] },
  drawing: { completed: ['system'] },
  // pending → completed: the owner finalises uploaded winners, or the system draws after 24 h.
  pending: { completed: ['owner', 'system'] },
  completed: {},
  cancelled: {},
};

export function canTransition(from: GiveawayStatus, to: GiveawayStatus, actor: Actor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

export function assertTransition(from: GiveawayStatus, to: GiveawayStatus, actor: Actor): void {
  if (!canTransition(from, to, actor)) {
    throw new AppError(
      'INVALID_TRANSITION',
      `A giveaway cannot go from ${from} to ${to}${actor === 'owner' ? ' by request' : ''}.`,
      {
        from,
        to,
      },
    );
  }
}

/** Rules of the owner's own actions, kept beside the table (legacy: 5 minutes, 10 participants). */
export const EDIT_WINDOW_MS = 5 * 60_000;
export const CANCEL_WINDOW_MS = 5 * 60_000;
export const CANCEL_MAX_PARTICIPANTS = 10;
/** A pending giveaway without the owner's winners is drawn normally after this long. */
export const MANUAL_WINNERS_WINDOW_MS = 24 * 3_600_000;
