// Process entry: load config, build the app, start it; SIGTERM/SIGINT stop it gracefully within a bound.
import { ConfigError, loadProcessConfig, type Config } from './config/index.ts';
import { createApp } from './app.ts';

function loadOrExit(): Config {
  try {
    return loadProcessConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG: the process manager should not restart-loop on a bad config.
    }
    throw err;
  }
}

const config = loadOrExit();

const app = createApp(config);

// A library's floating promise (a Redis subscription refused during an outage, say) must not take the
// node down: log it loudly and keep serving; the dependency's own reconnect logic heals the state.
process.on('unhandledRejection', (reason) => {
  app.logger.error({ err: reason }, 'Unhandled promise rejection');
});
let exitCode = 0;

let shuttingDown = false;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  app.logger.info({ signal }, 'Shutdown requested');
  // The hard bound: whatever hangs, the process exits.
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

try {
  await app.start();
  await app.whenReady();
} catch (err) {
  app.logger.fatal({ err }, 'Boot failed');
  exitCode = 1;
  await shutdown('boot-failure');
}
