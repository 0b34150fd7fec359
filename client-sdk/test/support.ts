// Shared setup of the SDK tests: the real app on a fresh database, SDK clients acting as Telegram users, and a
// helper that waits for the server's scheduler to close and draw a short giveaway.
import { expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { initDataFor, TEST_BOT_TOKEN, type TestUser } from '../../test/support/telegram-user.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { createClient, type ClientOptions, type GiveawayClient, type GiveawayView } from '../src/index.ts';

export const ADMIN = { id: 900, username: 'admin' } satisfies TestUser;

export interface SdkServer {
  db: TestDatabase;
  app: TestApp;
  realtimeUrl: string;
  /** A client authenticated as `user` (fresh init-data, static). */
  clientFor(user: TestUser, options?: Partial<ClientOptions>): GiveawayClient;
  stop(): Promise<void>;
}

export async function startSdkServer(env: Record<string, string> = {}): Promise<SdkServer> {
  const db = await createTestDatabase();
  const app = await startTestApp({
    DATABASE_URL: db.url,
    BOT_TOKEN: TEST_BOT_TOKEN,
    RATE_LIMIT: 'off',
    ADMIN_IDS: String(ADMIN.id),
    ...env,
  });
  const realtimeUrl = `http://127.0.0.1:${app.app.realtimePort}`;
  const clients: GiveawayClient[] = [];
  return {
    db,
    app,
    realtimeUrl,
    clientFor(user, options = {}) {
      const client = createClient({
        baseUrl: app.url,
        realtimeUrl,
        auth: { initData: initDataFor(user) },
        ...options,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.close();
      await app.stop();
      await db.drop();
    },
  };
}

export const giveawayBody = (overrides: Record<string, unknown> = {}) => ({
  title: 'SDK giveaway',
  description: 'made by the SDK tests',
  duration: 3600,
  winners_count: 2,
  prizes: [{ place: 1, title: 'Stars', description: '100 stars', quantity: 2 }],
  ...overrides,
});

/** Creates a giveaway, joins `joiners`, moves its end into the past and waits until the scheduler closed it. */
export async function closedGiveaway(
  server: SdkServer,
  owner: GiveawayClient,
  joiners: TestUser[],
  overrides: Record<string, unknown> = {},
  until_: GiveawayView['status'] = 'completed',
): Promise<GiveawayView> {
  const created = await owner.giveaways.create(giveawayBody({ reserves_count: 1, ...overrides }));
  await Promise.all(joiners.map((u) => server.clientFor(u).giveaways.join(created.id)));
  // The API's shortest duration is 5 minutes; the scheduler closes whatever is due, so make it due now.
  await server.db.pool.query(
    `UPDATE giveaways SET started_at = now() - interval '10 minutes', ends_at = now() - interval '1 second' WHERE id = $1`,
    [created.id],
  );
  await expect
    .poll(async () => (await owner.giveaways.get(created.id)).status, { timeout: 15_000 })
    .toBe(until_);
  return owner.giveaways.get(created.id);
}
