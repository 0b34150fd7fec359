// A worker node in its own process, for crash tests: the production Telegram features with only the worker
// role (notification job handlers). The parent kills it with SIGKILL mid-send and starts another.
import { createTelegramFeatures } from '../../../server/bot/index.ts';
import { AuthService } from '../../../server/auth/index.ts';
import { GiveawaysService } from '../../../server/giveaways/index.ts';
import { JoinBatcher, JoinsService } from '../../../server/joins/index.ts';
import { createLogger } from '../../../server/platform/index.ts';
import { JobQueue } from '../../../server/platform/jobs/index.ts';
import { RequirementsService } from '../../../server/requirements/index.ts';
import { createCommitment } from '../../../server/draws/commitment.ts';
import pg from 'pg';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const logger = createLogger('silent');
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 4 });
const jobs = new JobQueue({
  connectionString: env('DATABASE_URL'),
  ssl: false,
  logger,
  poolMax: 2,
  retry: { limit: 3, delaySec: 0, backoff: false },
});
await jobs.start();
const requirements = new RequirementsService({ pool, logger, redis: null, keyPrefix: 'gwtest:' });
const giveaways = new GiveawaysService({
  pool,
  requirements,
  draws: { createCommitment, finalizeManual: () => Promise.reject(new Error('unused')) },
  debug: true,
});
const joins = new JoinsService({ pool, batcher: new JoinBatcher({ pool, logger }), requirements });
const features = createTelegramFeatures({
  token: env('BOT_TOKEN'),
  apiRoot: env('BOT_API_ROOT'),
  publicBaseUrl: 'http://public.test',
  pool,
  redis: null,
  keyPrefix: 'gwtest:',
  logger,
  jobs,
  requirements,
  joins,
  giveaways,
  auth: new AuthService({ pool, botToken: env('BOT_TOKEN'), initDataTtlSec: 86_400, adminIds: [] }),
  throttle: { globalPerSec: 1000, privatePerSec: 100, groupPerMin: 6000 },
  notificationLeaseSec: Number(env('LEASE_SEC')),
  workOptions: { pollingIntervalSeconds: 0.2, batchSize: 5 },
});
features.registerWorkers();
process.stdout.write('worker ready\n');
