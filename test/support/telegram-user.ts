// Signs Mini App init-data the way Telegram does (the library's own `sign`), for a test bot token.
import { sign } from '@telegram-apps/init-data-node';

export const TEST_BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

export interface TestUser {
  id: number;
  username?: string;
  first_name?: string;
  last_name?: string;
  is_premium?: boolean;
  photo_url?: string;
}

export function initDataFor(
  user: TestUser,
  opts: { authDate?: Date; token?: string; startParam?: string } = {},
): string {
  // `sign` serialises what it is given, and Telegram's wire format is snake_case.
  const data = {
    user: { ...user, first_name: user.first_name ?? `User${user.id}`, last_name: user.last_name ?? '' },
    ...(opts.startParam ? { start_param: opts.startParam } : {}),
  } as unknown as Parameters<typeof sign>[0];
  return sign(data, opts.token ?? TEST_BOT_TOKEN, opts.authDate ?? new Date());
}

/** fetch() for the REST API as a given Telegram user. */
export function asUser(baseUrl: string, user: TestUser) {
  const initData = initDataFor(user);
  return (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('X-Telegram-Init-Data', initData);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${baseUrl}${path}`, { ...init, headers, body });
  };
}
