// Process entry: load config, build the server (server/composition), start it; SIGTERM/SIGINT stop it
// gracefully at any moment of its life (docs/operations.md, "Stopping and restarting"). The signal handlers
// come first and everything else is imported after them: a stop during the seconds of module loading then
// exits 0 like any other stop, instead of the process dying by the signal.
import type { Config } from './config/index.ts';
import type { Server } from './composition/index.ts';

/** Filled in as boot goes: a signal may arrive before either exists. */
const booted: { config?: Config; app?: Server } = {};
let exitCode = 0;
let shuttingDown = false;

async function shutdown(reason: string): Promise<void> {
  if (shuttingDown) {
    booted.app?.logger.info({ signal: reason }, 'Stop already under way');
    return;
  }
  shuttingDown = true;
  // Nothing started yet (still loading modules or config): nothing to drain.
  const { app, config } = booted;
  if (!app || !config) process.exit(exitCode);
  app.logger.info({ signal: reason }, 'Shutdown requested');
  // The hard bound: whatever hangs, the process exits (and an embedded PostgreSQL is still told to stop).
  setTimeout(() => {
    app.logger.error('Shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  await app.stop();
  process.exit(exitCode);
}

// `on`, not `once`: a listener must stay registered for the whole drain, or a loader's default handler
// (tsx exits 128+signal when it is the only listener left) would cut the drain short.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

const { ConfigError, loadProcessConfig } = await import('./config/index.ts');
let config: Config;
try {
  config = loadProcessConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG: the process manager should not restart-loop on a bad config.
  }
  throw err;
}
const { createServer } = await import('./composition/index.ts');
const { printBootBanner, portOrUndefined } = await import('./platform/boot-banner.ts');
const server = createServer(config);
booted.config = config;
booted.app = server;

// A library's floating promise (a Redis subscription refused during an outage, say) must not take the
// node down: log it loudly and keep serving; the dependency's own reconnect logic heals the state.
process.on('unhandledRejection', (reason) => {
  server.logger.error({ err: reason }, 'Unhandled promise rejection');
});

try {
  await server.start();
  await server.whenReady();
  printBootBanner(config, {
    http: portOrUndefined(() => server.httpPort),
    realtime: portOrUndefined(() => server.realtimePort),
  });
} catch (err) {
  // A stop during boot aborts it: that is the stop working, not a failed boot.
  if (!shuttingDown) {
    server.logger.fatal({ err }, 'Boot failed');
    exitCode = 1;
    await shutdown('boot-failure');
  }
}
