// Links to a channel as the Mini App and the bot show them: public t.me links by username, invite links or
// t.me/c/ links for private channels, boost links, and our public avatar proxy (the token stays server-side).

export interface LinkableChat {
  id: number;
  username: string | null;
  invite_url?: string | null;
}

/** `-1001234567890` → `1234567890`, the id form t.me/c/ links use. */
export function privateChannelId(chatId: number): string {
  const text = String(Math.abs(chatId));
  return String(chatId).startsWith('-100') ? text.slice(3) : text;
}

export function channelUrl(chat: LinkableChat): string {
  if (chat.username) return `https://t.me/${chat.username}`;
  if (chat.invite_url) return chat.invite_url;
  return `https://t.me/c/${privateChannelId(chat.id)}`;
}

export function boostUrl(chat: LinkableChat): string {
  return chat.username
    ? `https://t.me/boost/${chat.username}`
    : `https://t.me/c/${privateChannelId(chat.id)}?boost`;
}

/** Served by GET /api/public/channels/:chat/avatar; loaded by plain <img> tags, so it must be public. */
export function avatarUrl(publicBaseUrl: string, chatId: number | string): string {
  return `${publicBaseUrl}/api/public/channels/${encodeURIComponent(String(chatId))}/avatar`;
}
