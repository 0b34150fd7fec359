import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withDotEnv } from '../../server/config/index.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('boots on defaults alone: embedded PostgreSQL, single-node, every role', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.realtime.port).toBe(8081);
    expect([...config.roles].sort()).toEqual(['api', 'bot', 'realtime', 'worker']);
    expect(config.database.kind).toBe('embedded');
    expect(config.redis).toBeNull();
    expect(config.telegram.botToken).toBeUndefined();
    expect(config.telegram.initDataTtlSec).toBe(86_400);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it("accepts every variable of the seed's .env with the same meanings", () => {
    const config = loadConfig({
      SERVER_PORT: '9000',
      SERVER_ORIGIN: 'https://app.example.com',
      POSTGRES_HOST: 'db.internal',
      POSTGRES_PORT: '6543',
      POSTGRES_USER: 'giveaway',
      POSTGRES_PASSWORD: 'p@ss word',
      POSTGRES_DB: 'gw',
      POSTGRES_SSLMODE: 'require',
      MAX_OPEN_CONNS: '40',
      MAX_IDLE_CONNS: '8',
      CONN_MAX_LIFETIME: '1h30m',
      REDIS_HOST: 'cache.internal',
      REDIS_PORT: '6380',
      REDIS_PASSWORD: 'secret',
      REDIS_DB: '2',
      REDIS_POOL_SIZE: '20',
      BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_DEBUG: 'true',
      ADMIN_IDS: '11, 22,33',
      DEBUG: 'false',
    });
    expect(config.http).toMatchObject({ port: 9000, origin: 'https://app.example.com' });
    expect(config.database).toMatchObject({
      kind: 'external',
      url: 'postgres://giveaway:p%40ss%20word@db.internal:6543/gw',
      sslMode: 'require',
      poolMax: 40,
      poolIdleMax: 8,
      connMaxLifetimeMs: 5_400_000,
    });
    expect(config.redis).toMatchObject({
      url: 'redis://cache.internal:6380',
      password: 'secret',
      db: 2,
      maxInFlight: 20,
    });
    expect(config.telegram).toMatchObject({ debug: true, adminIds: [11, 22, 33] });
  });

  it('prefers DATABASE_URL and REDIS_URL over their parts, and honours sslmode in the URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@h:5432/d?sslmode=verify-full',
      POSTGRES_HOST: 'ignored',
      REDIS_URL: 'redis://:pw@r:6390/3',
      REDIS_HOST: 'ignored',
    });
    expect(config.database).toMatchObject({
      kind: 'external',
      url: 'postgres://u:p@h:5432/d',
      sslMode: 'verify-full',
    });
    expect(config.redis).toMatchObject({ url: 'redis://r:6390', password: 'pw', db: 3 });
  });

  it('reports every bad variable on its own line with its name, the problem and a good example', () => {
    const problems = problemsOf({
      SERVER_PORT: 'eighty',
      REALTIME_PORT: '70000',
      POSTGRES_SSLMODE: 'sometimes',
      CONN_MAX_LIFETIME: 'forever',
      ADMIN_IDS: '12,abc',
      ROLES: 'api,cook',
      DB_AUTO_MIGRATE: 'maybe',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
    });
    expect(problems).toHaveLength(10);
    for (const name of [
      'SERVER_PORT',
      'REALTIME_PORT',
      'POSTGRES_SSLMODE',
      'CONN_MAX_LIFETIME',
      'ADMIN_IDS',
      'ROLES',
      'DB_AUTO_MIGRATE',
      'LOG_LEVEL',
      'DATABASE_URL',
      'REDIS_URL',
    ]) {
      const line = problems.find((p) => p.startsWith(`${name}:`));
      expect(line, name).toBeDefined();
      expect(line).toMatch(new RegExp(`example: ${name}=\\S+`));
    }
    expect(problems.find((p) => p.startsWith('ADMIN_IDS'))).toContain('abc');
    expect(problems.find((p) => p.startsWith('ROLES'))).toContain('cook');
  });

  it('never echoes a secret in an error line', () => {
    const problems = problemsOf({ BOT_TOKEN: 'not-a-token-but-secret', DATABASE_URL: 'nope-secret' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('refuses cluster mode without Redis', () => {
    expect(problemsOf({ CLUSTER: 'true' })).toEqual([expect.stringMatching(/^CLUSTER: .*Redis/)]);
    expect(() => loadConfig({ CLUSTER: 'true', REDIS_URL: 'redis://127.0.0.1:6379' })).not.toThrow();
  });

  it('lowers the default log level with DEBUG and keeps an explicit LOG_LEVEL', () => {
    expect(loadConfig({ DEBUG: 'true' }).logLevel).toBe('debug');
    expect(loadConfig({ DEBUG: 'true', LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
  });

  it('reads .env when present, with the real environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-env-'));
    const path = join(dir, '.env');
    writeFileSync(path, 'SERVER_PORT=9100\nREALTIME_PORT=9101\n# comment\nADMIN_IDS="1,2"\n');
    const config = loadConfig(withDotEnv({ REALTIME_PORT: '9200' }, path));
    expect(config.http.port).toBe(9100);
    expect(config.realtime.port).toBe(9200);
    expect(config.telegram.adminIds).toEqual([1, 2]);
    expect(withDotEnv({ A: '1' }, join(dir, 'missing'))).toEqual({ A: '1' });
  });
  it('reads TRUST_PROXY as a hop count or a proxy address list, trusting none by default', () => {
    expect(loadConfig({}).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7 ,::1, loopback' }).trustProxy).toEqual({
      addresses: ['10.0.0.0/8', '192.168.1.7', '::1', 'loopback'],
    });
    expect(problemsOf({ TRUST_PROXY: '10.0.0.0/33,lb.internal' })).toEqual([
      'TRUST_PROXY: must be a hop count or comma-separated proxy IPs/CIDRs (bad: 10.0.0.0/33, lb.internal) (got "10.0.0.0/33,lb.internal"); example: TRUST_PROXY=1',
    ]);
    // Trusting every hop would let any client choose its address: refused, with the reason.
    expect(problemsOf({ TRUST_PROXY: 'true' })[0]).toMatch(/^TRUST_PROXY: must be a hop count/);
  });

  it('reads the join batcher settings, and refuses zero lanes or a malformed delay', () => {
    expect(loadConfig({}).joins).toEqual({ batchMax: 500, batchDelayMs: 3, lanes: 4 });
    expect(loadConfig({ JOIN_BATCH_MAX: '200', JOIN_BATCH_DELAY: '10ms', JOIN_LANES: '8' }).joins).toEqual({
      batchMax: 200,
      batchDelayMs: 10,
      lanes: 8,
    });
    expect(problemsOf({ JOIN_LANES: '0' })[0]).toMatch(/^JOIN_LANES: /);
    expect(problemsOf({ JOIN_BATCH_DELAY: 'soon' })[0]).toMatch(/^JOIN_BATCH_DELAY: /);
  });

  it('reads the socket caps, and refuses a cap of zero', () => {
    expect(loadConfig({}).rateLimit).toMatchObject({ socketMaxPerIp: 100, socketHandshakesPerSecPerIp: 20 });
    expect(
      loadConfig({ SOCKET_MAX_PER_IP: '10', SOCKET_HANDSHAKES_PER_SEC_PER_IP: '5' }).rateLimit,
    ).toMatchObject({ socketMaxPerIp: 10, socketHandshakesPerSecPerIp: 5 });
    expect(problemsOf({ SOCKET_MAX_PER_IP: '0' })[0]).toMatch(/^SOCKET_MAX_PER_IP: must be at least 1/);
  });
});
