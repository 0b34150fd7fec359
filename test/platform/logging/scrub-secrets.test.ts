// The string scrubber the access log, error serializers and boot banner share: every credential shape we
// know is replaced, and what makes a line useful (paths, hosts, method names, ids) stays.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/index.ts';
import { formatBootBanner } from '../../../server/platform/boot-banner.ts';
import { scrubDeep, scrubSecrets } from '../../../server/platform/scrub-secrets.ts';

const BOT_TOKEN = '123456789:AAH-abcdefghijklmnopqrstuvwxyz012345';
const INIT_DATA =
  'query_id=AAF&user=%7B%22id%22%3A1%7D&auth_date=1700000000&signature=c2ln&hash=0f1e2d3c4b5a';
const API_KEY = 'gwk_0a1b2c3d_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcdefg';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+/Ab==';

describe('scrubSecrets', () => {
  it.each([
    [
      'init_data in a query string',
      `/api/v1/users/me?init_data=${encodeURIComponent(INIT_DATA)}&x=1`,
      '/api/v1/users/me?init_data=[redacted]&x=1',
    ],
    [
      'initData in a query string',
      `/x?a=1&initData=${encodeURIComponent(INIT_DATA)}`,
      '/x?a=1&initData=[redacted]',
    ],
    [
      'tgWebAppData in a Mini App URL',
      `https://app.example/#tgWebAppData=${encodeURIComponent(INIT_DATA)}`,
      'https://app.example/#tgWebAppData=[redacted]',
    ],
    [
      'raw init-data: its hash and signature',
      INIT_DATA,
      'query_id=AAF&user=%7B%22id%22%3A1%7D&auth_date=1700000000&signature=[redacted]&hash=[redacted]',
    ],
    [
      'init_data in a JSON body',
      `{"init_data":"${INIT_DATA}","giveaway":"g1"}`,
      '{"init_data":[redacted],"giveaway":"g1"}',
    ],
    ['initData in an object dump', `{ initData: '${INIT_DATA}' }`, '{ initData: [redacted] }'],
    ['the init-data header', `x-telegram-init-data: ${INIT_DATA}`, 'x-telegram-init-data: [redacted]'],
    ['Authorization: tma', `authorization: tma ${INIT_DATA}`, 'authorization: [redacted]'],
    ['a bare Bearer value', `sent Bearer ${API_KEY} to it`, 'sent Bearer [redacted] to it'],
    ['a bare tma value', `tma ${INIT_DATA}`, 'tma [redacted]'],
    ['an API key', `key ${API_KEY} revoked`, 'key gwk_0a1b2c3d_[redacted] revoked'],
    ['a webhook secret', `secret is ${WHSEC}.`, 'secret is whsec_[redacted].'],
    [
      'an export token',
      '/api/public/giveaways/export/6f1c2b3a4d5e6f708192a3b4c5d6e7f8?x=1',
      '/api/public/giveaways/export/[redacted]?x=1',
    ],
    [
      'a password in a PostgreSQL URL',
      'postgres://giveaway:p%40ss@db.internal:5432/giveaway',
      'postgres://giveaway:[redacted]@db.internal:5432/giveaway',
    ],
    [
      'a Redis URL with only a password',
      'redis://:s3cret@127.0.0.1:6379/0',
      'redis://:[redacted]@127.0.0.1:6379/0',
    ],
    [
      'a password in a URL query',
      'postgres://u@h/db?sslmode=require&password=s3cret',
      'postgres://u@h/db?sslmode=require&password=[redacted]',
    ],
    [
      'a bot token in a Bot API URL',
      `request to http://127.0.0.1:4000/bot${BOT_TOKEN}/getUpdates failed, reason: connect ECONNREFUSED`,
      'request to http://127.0.0.1:4000/bot123456789:[redacted]/getUpdates failed, reason: connect ECONNREFUSED',
    ],
    [
      'a bot token in a file URL',
      `/file/bot${BOT_TOKEN}/photos/a.jpg`,
      '/file/bot123456789:[redacted]/photos/a.jpg',
    ],
    [
      'a token=… pair',
      'BOT_TOKEN=abc and secret_token=def',
      'BOT_TOKEN=[redacted] and secret_token=[redacted]',
    ],
  ])('%s', (_what, input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });

  it.each([
    'GET /api/v1/giveaways/0b6f1f7e-3a3c-4c55-8a43-2a1f0b1c2d3e?limit=20 200',
    'at file:///work/server/main.ts:12:5',
    'http://127.0.0.1:8080/api/docs',
    'redis://127.0.0.1:6379 db=0',
    'postgres://postgres@127.0.0.1:5432/giveaway sslmode=disable',
    'Join refused: RATE_LIMITED retry_after=30',
    'Draw 42 at 12:30:45 took 1200ms',
  ])('leaves a line without credentials as it is: %s', (line) => {
    expect(scrubSecrets(line)).toBe(line);
  });
});

describe('scrubDeep', () => {
  it('scrubs every string of an error object and the cause it carries, and cuts cycles', () => {
    const cause: Record<string, unknown> = {
      type: 'FetchError',
      message: `request to http://h/bot${BOT_TOKEN}/getUpdates failed`,
    };
    cause.self = cause;
    const out = scrubDeep({
      type: 'HttpError',
      message: "Network request for 'getUpdates' failed!",
      error: cause,
    });
    expect(JSON.stringify(out)).not.toContain(BOT_TOKEN.split(':')[1]);
    expect(out).toMatchObject({
      message: "Network request for 'getUpdates' failed!",
      error: { message: 'request to http://h/bot123456789:[redacted]/getUpdates failed', self: '[…]' },
    });
  });
});

describe('boot banner', () => {
  it('shows the database and Redis hosts without any password, in the userinfo or the query', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://giveaway:pgS3cretA@db.internal:5432/giveaway?password=pgS3cretB',
      REDIS_URL: 'redis://rdS3cretC@cache.internal:6380/2?password=rdS3cretD',
      SANDBOX: 'off',
    });
    const banner = formatBootBanner(config, { http: 8080, realtime: 8081 });
    for (const secret of ['pgS3cretA', 'pgS3cretB', 'rdS3cretC', 'rdS3cretD'])
      expect(banner).not.toContain(secret);
    expect(banner).toContain('postgres://giveaway@db.internal:5432/giveaway?password=[redacted]');
    expect(banner).toContain('redis://cache.internal:6380');
  });
});
