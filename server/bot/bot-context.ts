// The context every handler sees: grammY's Context plus the session that holds a /new conversation.
import type { Context, SessionFlavor } from 'grammy';
import { z } from 'zod';

export const DRAFT_STEPS = ['title', 'prizes', 'winners', 'duration', 'channel', 'confirm'] as const;

/** A giveaway being created in the chat. Validated on every read: storage is outside our process. */
export const NewGiveawayDraft = z.object({
  step: z.enum(DRAFT_STEPS),
  title: z.string().min(1).max(100).optional(),
  prizes: z
    .array(z.object({ title: z.string().min(1).max(20), quantity: z.number().int().min(1) }))
    .max(10)
    .optional(),
  winners: z.number().int().min(1).max(1000).optional(),
  duration: z.number().int().positive().optional(),
  /** null: no channel requirement. */
  channelId: z.number().int().nullable().optional(),
  channelTitle: z.string().optional(),
});
export type NewGiveawayDraft = z.infer<typeof NewGiveawayDraft>;

export interface SessionData {
  draft?: NewGiveawayDraft;
}

export const SessionData = z.object({ draft: NewGiveawayDraft.optional() });

export type BotContext = Context & SessionFlavor<SessionData>;
