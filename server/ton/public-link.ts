// Links we hand to the Mini App (exports, avatars) must be public https: Telegram's downloadFile refuses others.

/** Why `url` cannot be opened by the Mini App, or null when it can. Pure: the composition root logs it at boot. */
export function publicLinkProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `PUBLIC_BASE_URL "${url}" is not a URL`;
  }
  if (parsed.protocol !== 'https:') {
    return `PUBLIC_BASE_URL is ${parsed.protocol.replace(':', '')}, not https: Telegram clients will not open export links from ${parsed.origin}`;
  }
  const host = parsed.hostname;
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\.|^0\.0\.0\.0$|^\[?::1\]?$/.test(host)) {
    return `PUBLIC_BASE_URL points at ${host}, which Telegram clients cannot reach`;
  }
  return null;
}
