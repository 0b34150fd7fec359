// Runs every check in order and returns the table. Configuration first: without a valid one nothing else can
// be checked, so a bad configuration is the only row.
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { checkBotApi } from './check-bot-api.ts';
import { checkDrand, checkPublicBaseUrl, checkTonApi } from './check-endpoints.ts';
import { checkPostgres } from './check-postgres.ts';
import { checkRedis } from './check-redis.ts';
import { failure, ok, type CheckResult } from './check-result.ts';

export const DEFAULT_TONAPI_BASE_URL = 'https://tonapi.io';

export interface DoctorReport {
  rows: CheckResult[];
  failed: boolean;
}

export async function runDoctor(env: Record<string, string | undefined>): Promise<DoctorReport> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const rows = err.problems.map((p) =>
      failure('configuration', p.split('; example: ')[0] ?? p, `example: ${p.split('; example: ')[1] ?? ''}`),
    );
    return { rows, failed: true };
  }
  const rows: CheckResult[] = [
    ok(
      'configuration',
      `roles ${[...config.roles].join(',')}${config.sandbox.enabled ? ', sandbox on' : ''}`,
    ),
  ];
  const postgres = await checkPostgres(config.database);
  rows.push(...postgres.rows);
  try {
    const [redis, bot, publicUrl, drand, tonapi] = await Promise.all([
      checkRedis(config),
      checkBotApi(config, postgres.pool),
      checkPublicBaseUrl(config),
      checkDrand(config),
      checkTonApi(env.TONAPI_BASE_URL?.trim() || DEFAULT_TONAPI_BASE_URL),
    ]);
    rows.push(redis, ...bot, publicUrl, ...drand, tonapi);
  } finally {
    await postgres.pool?.end().catch(() => undefined);
  }
  return { rows, failed: rows.some((r) => r.status === 'failure') };
}
