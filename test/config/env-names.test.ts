// The legacy seed's pool variable names are read, and a variable that looks like ours but is not read (a
// typo, a name sharing our prefixes) is warned about at boot with the closest known name, while ordinary
// system variables never are.
import { describe, expect, it } from 'vitest';
import { editDistance, findUnknownEnv, loadConfig } from '../../server/config/index.ts';
import { createTestDatabase } from '../support/database.ts';
import { spawnServer } from '../support/server-process.ts';

describe("the seed's pool variables", () => {
  it('POSTGRES_MAX_OPEN_CONNS, POSTGRES_MAX_IDLE_CONNS and POSTGRES_CONN_MAX_LIFETIME set the pool', () => {
    const config = loadConfig({
      POSTGRES_HOST: 'db.internal',
      POSTGRES_MAX_OPEN_CONNS: '40',
      POSTGRES_MAX_IDLE_CONNS: '8',
      POSTGRES_CONN_MAX_LIFETIME: '1h30m',
    });
    expect(config.database).toMatchObject({ poolMax: 40, poolIdleMax: 8, connMaxLifetimeMs: 5_400_000 });
    expect(config.warnings).toEqual([]);
  });

  it('lose to the server’s own names, with a warning when the two disagree', () => {
    const config = loadConfig({ MAX_OPEN_CONNS: '30', POSTGRES_MAX_OPEN_CONNS: '40' });
    expect(config.database.poolMax).toBe(30);
    expect(config.warnings).toEqual([
      'POSTGRES_MAX_OPEN_CONNS is ignored because MAX_OPEN_CONNS is also set',
    ]);
  });

  it('are named in the error when their value is bad', () => {
    expect(() => loadConfig({ POSTGRES_MAX_OPEN_CONNS: 'many' })).toThrow(
      /POSTGRES_MAX_OPEN_CONNS: must be a number.*example: POSTGRES_MAX_OPEN_CONNS=25/,
    );
  });
});

describe('unknown variables', () => {
  it.each([
    ['RATE_LIMT', 'RATE_LIMIT'],
    ['REDIS_ULR', 'REDIS_URL'],
    ['REDIS_PASWORD', 'REDIS_PASSWORD'],
    ['POSTGRES_PASSWORD_FILE', 'POSTGRES_PASSWORD'],
    ['TELEGRAM_BOT_TOKEN', 'BOT_TOKEN'],
    ['RATE_LIMIT_JOIN_PER_USR', 'RATE_LIMIT_JOIN_PER_USER'],
    ['TON_NETWRK', 'TON_NETWORK'],
    ['WEBHOOKS_ALLOW_HTTPS', 'WEBHOOKS_ALLOW_HTTP'],
    ['SERVER_PROT', 'SERVER_PORT'],
    ['LOGLEVEL', 'LOG_LEVEL'],
    ['TRUSTPROXY', 'TRUST_PROXY'],
    ['DATABSE_URL', 'DATABASE_URL'],
  ])('%s is flagged, suggesting %s', (name, suggestion) => {
    expect(findUnknownEnv({ [name]: 'x' })).toEqual([{ name, suggestion }]);
  });

  it('flags an unknown name with one of our prefixes even when nothing is close', () => {
    expect(findUnknownEnv({ REDIS_SENTINEL_MASTER_GROUP_NAME: 'x' })).toEqual([
      { name: 'REDIS_SENTINEL_MASTER_GROUP_NAME', suggestion: undefined },
    ]);
  });

  it('leaves system, tooling and platform variables alone', () => {
    const system = [
      'PATH',
      'HOME',
      'USER',
      'SHELL',
      'TERM',
      'LANG',
      'LC_ALL',
      'PWD',
      'OLDPWD',
      'HOSTNAME',
      'LOGNAME',
      'SHLVL',
      'TZ',
      'CI',
      'PORT',
      'TMPDIR',
      'EDITOR',
      'PAGER',
      'DISPLAY',
      'COLORTERM',
      'NODE_ENV',
      'NODE_OPTIONS',
      'NODE_PATH',
      'NODE_EXTRA_CA_CERTS',
      'DEBUG_COLORS',
      'FORCE_COLOR',
      'NO_COLOR',
      'INIT_CWD',
      'HOSTTYPE',
      'npm_config_cache',
      'npm_lifecycle_event',
      'DEBIAN_FRONTEND',
      'SSL_CERT_FILE',
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'NO_PROXY',
      'KUBERNETES_SERVICE_HOST',
      'KUBERNETES_PORT_443_TCP_ADDR',
      'REDIS_SERVICE_HOST',
      'REDIS_SERVICE_PORT',
      'REDIS_PORT_6379_TCP',
      'REDIS_PORT_6379_TCP_ADDR',
      'POSTGRES_SERVICE_PORT_POSTGRES',
      'POSTGRES_INITDB_ARGS',
      'POSTGRES_HOST_AUTH_METHOD',
      'TEST_DATABASE_URL',
      'TEST_REDIS_URL',
      'GIT_SSL_CAINFO',
      'PYTHONUNBUFFERED',
      'RUST_BACKTRACE',
      'CONTAINER_NAME',
      'VITEST',
      'VITEST_POOL_ID',
      'TEST',
      'MODE',
    ];
    expect(findUnknownEnv(Object.fromEntries(system.map((name) => [name, 'x'])))).toEqual([]);
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('REDIS_ULR', 'REDIS_URL')).toBe(1);
    expect(editDistance('RATE_LIMT', 'RATE_LIMIT')).toBe(1);
    expect(editDistance('', 'ABC')).toBe(3);
  });

  it('are warned about at boot by name, with the suggestion and never the value', async () => {
    const db = await createTestDatabase();
    try {
      const server = spawnServer({
        DATABASE_URL: db.url,
        ROLES: 'api',
        RATE_LIMT: 'off',
        REDIS_ULR: 'redis://:hunter2-secret@127.0.0.1:6379',
        NODE_ENV: 'test',
      });
      await server.waitForLine(/"msg":"Ready"/, 60_000);
      expect(await server.kill()).toBe(0);
      const warnings = server.lines.filter((l) => l.includes('"module":"config"'));
      expect(warnings).toEqual([
        expect.stringContaining('RATE_LIMT is set but not read by this server; did you mean RATE_LIMIT?'),
        expect.stringContaining('REDIS_ULR is set but not read by this server; did you mean REDIS_URL?'),
      ]);
      expect(server.lines.join('\n')).not.toContain('hunter2');
    } finally {
      await db.drop();
    }
  }, 120_000); // A server process boots on a busy machine.
});
