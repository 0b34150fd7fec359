// Process entry: load config, build the app, start it; SIGTERM/SIGINT stop it gracefully within a bound.
import { ConfigError, loadConfig, withDotEnv, type Config } from './config/index.ts';
import { createApp } from './app.ts';

function loadOrExit(): Config {
  try {
    return loadConfig(withDotEnv(process.env));
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
let exitCode = 0;

async function shutdown(signal: string): Promise<void> {
  app.logger.info({ signal }, 'Shutdown requested');
  // The hard bound: whatever hangs, the process exits.
  setTimeout(() => {
    app.logger.error('Shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
  await app.stop();
  process.exit(exitCode);
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.start();
  await app.whenReady();
} catch (err) {
  app.logger.fatal({ err }, 'Boot failed');
  exitCode = 1;
  await shutdown('boot-failure');
}
