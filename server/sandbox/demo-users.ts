// The sandbox's demo users and the init-data it signs for them: the exact format Telegram hands a Mini App,
// signed with the sandbox secret (which the server then uses as its validation secret), so a request made
// with it takes the production path from the first header check on.
import { sign } from '@telegram-apps/init-data-node';

export interface DemoUser {
  id: number;
  username: string;
  first_name: string;
}

/** People to sign in as; simulated joiners get ids from JOINER_ID_BASE up, so they never collide. */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: 1001, username: 'alice', first_name: 'Alice' },
  { id: 1002, username: 'bob', first_name: 'Bob' },
  { id: 1003, username: 'carol', first_name: 'Carol' },
];
export const JOINER_ID_BASE = 2_000_000;

export function signDemoInitData(user: DemoUser, secret: string, now = new Date()): string {
  // `sign` serialises what it is given as is, and Telegram's wire format is snake_case (its typings say camelCase).
  const data = { user: { ...user, last_name: '' } } as unknown as Parameters<typeof sign>[0];
  return sign(data, secret, now);
}
