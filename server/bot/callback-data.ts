// Inline button payloads (≤ 64 bytes), built and parsed in one place. Anything that does not parse is a
// stale or forged button and gets a polite answer, never an exception.
import { z } from 'zod';

export type CallbackAction =
  | { kind: 'join'; giveawayId: string }
  | { kind: 'claim'; giveawayId: string }
  | { kind: 'new-channel'; chatId: number | null }
  | { kind: 'new-create' }
  | { kind: 'new-cancel' };

const Uuid = z.uuid();
const ChatId = z.coerce.number().int().refine(Number.isSafeInteger);

export const callbackData = {
  join: (giveawayId: string) => `j:${giveawayId}`,
  /** The Claim button of a winner DM (server/notifications puts it there). */
  claim: (giveawayId: string) => `c:${giveawayId}`,
  newChannel: (chatId: number | null) => `n:c:${chatId ?? 0}`,
  newCreate: () => 'n:ok',
  newCancel: () => 'n:x',
};

export function parseCallback(data: string | undefined): CallbackAction | null {
  if (!data || data.length > 64) return null;
  if (data.startsWith('j:')) {
    const id = Uuid.safeParse(data.slice(2));
    return id.success ? { kind: 'join', giveawayId: id.data } : null;
  }
  if (data.startsWith('c:')) {
    const id = Uuid.safeParse(data.slice(2));
    return id.success ? { kind: 'claim', giveawayId: id.data } : null;
  }
  if (data.startsWith('n:c:')) {
    const id = ChatId.safeParse(data.slice(4));
    if (!id.success) return null;
    return { kind: 'new-channel', chatId: id.data === 0 ? null : id.data };
  }
  if (data === 'n:ok') return { kind: 'new-create' };
  if (data === 'n:x') return { kind: 'new-cancel' };
  return null;
}

/** `/start <payload>`: a giveaway id, bare or as `g_<id>`. */
export function parseStartPayload(payload: string): string | null {
  const id = Uuid.safeParse(payload.trim().replace(/^gw?_/, ''));
  return id.success ? id.data.toLowerCase() : null;
}
