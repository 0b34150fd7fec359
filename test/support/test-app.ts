// Builds the real server (createServer, the production composition root) against a test database.
import { createServer, type Server, type ServerOptions } from '../../server/composition/index.ts';
import { loadConfig } from '../../server/config/index.ts';

export interface TestApp {
  app: Server;
  url: string;
  stop(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string>,
  opts: { waitReady?: boolean } & ServerOptions = {},
): Promise<TestApp> {
  const { waitReady, ...serverOptions } = opts;
  const config = loadConfig({
    SERVER_PORT: '0',
    REALTIME_PORT: '0',
    LOG_LEVEL: 'silent',
    // Off unless a test asks: the sandbox would write DATA_DIR/sandbox-secret (.data/ in the worktree).
    SANDBOX: 'off',
    // The machine's PostgreSQL allows 100 connections and two test files run at once, some with three
    // servers each; the production default (25 per pool) would exhaust it under a burst of joins.
    MAX_OPEN_CONNS: '8',
    ...env,
  });
  const app = createServer(config, serverOptions);
  await app.start();
  if (waitReady !== false) await app.whenReady();
  return {
    app,
    // A getter: a node without the api role has no HTTP port.
    get url() {
      return `http://127.0.0.1:${app.httpPort}`;
    },
    stop: () => app.stop(),
  };
}
