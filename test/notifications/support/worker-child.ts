// A worker node in its own process, for crash tests: the production server (createServer) with only the
// worker role, so its notification job handlers run exactly as in production. The parent kills it with
// SIGKILL mid-send and starts another.
import { startTestApp } from '../../support/test-app.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

await startTestApp(
  {
    ROLES: 'worker',
    DATABASE_URL: env('DATABASE_URL'),
    DB_AUTO_MIGRATE: 'false',
    BOT_TOKEN: env('BOT_TOKEN'),
    BOT_API_ROOT: env('BOT_API_ROOT'),
    PUBLIC_BASE_URL: 'http://public.test',
    DEBUG: 'true',
  },
  {
    jobs: { poolMax: 2, retry: { limit: 3, delaySec: 0, backoff: false } },
    tuning: {
      telegram: {
        throttle: { globalPerSec: 1000, privatePerSec: 100, groupPerMin: 6000 },
        notificationLeaseSec: Number(env('LEASE_SEC')),
        workOptions: { pollingIntervalSeconds: 0.2, batchSize: 5 },
      },
    },
  },
);
process.stdout.write('worker ready\n');
