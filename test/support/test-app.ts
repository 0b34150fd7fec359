// Builds the real app (createApp, the production composition root) against a test database.
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config/index.ts';

export interface TestApp {
  app: App;
  url: string;
  stop(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string>,
  opts: { waitReady?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig({ SERVER_PORT: '0', REALTIME_PORT: '0', LOG_LEVEL: 'silent', ...env });
  const app = createApp(config);
  await app.start();
  if (opts.waitReady !== false) await app.whenReady();
  return { app, url: `http://127.0.0.1:${app.httpPort}`, stop: () => app.stop() };
}
