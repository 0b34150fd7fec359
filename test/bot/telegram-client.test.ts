// The Bot API layer against the fake server: errors classified without leaking the token, pacing per chat,
// in-call retries only where they are safe, and file paths checked before a download.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TelegramClient,
  TelegramError,
  createAutoRetry,
  createThrottler,
} from '../../server/platform/telegram/index.ts';
import { CHAT_NOT_FOUND, FakeTelegram, tgError, tooManyRequests } from '../support/fake-telegram.ts';
import { TEST_BOT_TOKEN } from '../support/telegram-user.ts';

let fake: FakeTelegram;
const client = (opts: { privatePerSec?: number; maxRetryAfterSec?: number } = {}) =>
  new TelegramClient({
    token: TEST_BOT_TOKEN,
    apiRoot: fake.apiRoot,
    transformers: [
      createThrottler({ globalPerSec: 1000, privatePerSec: opts.privatePerSec ?? 100 }),
      createAutoRetry({ maxRetryAfterSec: opts.maxRetryAfterSec ?? 2, baseDelayMs: 10 }),
    ],
  });

beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(async () => {
  await fake.stop();
});

describe('TelegramClient', () => {
  it('classifies Bot API errors', async () => {
    const tg = client();
    fake.failNext('getChat', CHAT_NOT_FOUND);
    await expect(tg.getChat(-1)).rejects.toMatchObject({ kind: 'not_found', errorCode: 400 });
    fake.failNext('sendMessage', tgError(403, 'Forbidden: bot was blocked by the user'));
    await expect(tg.sendMessage(5, 'x')).rejects.toMatchObject({ kind: 'forbidden' });
    fake.failNext('sendMessage', tgError(400, "Bad Request: can't parse entities"));
    await expect(tg.sendMessage(5, 'x')).rejects.toMatchObject({ kind: 'bad_request' });
    // Last: the 429 pauses this client's calls for 30 s.
    fake.failNext('sendMessage', tooManyRequests(30));
    await expect(tg.sendMessage(5, 'x')).rejects.toMatchObject({ kind: 'rate_limited', retryAfterSec: 30 });
  });

  it('reports an unreachable server as a network error without the token in the message', async () => {
    const tg = new TelegramClient({ token: TEST_BOT_TOKEN, apiRoot: 'http://127.0.0.1:1', transformers: [] });
    const err = await tg.getChat(-1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    expect(err).toMatchObject({ kind: 'network' });
    expect(JSON.stringify(err) + String(err)).not.toContain(TEST_BOT_TOKEN.split(':')[1]);
    const download = await tg.downloadFile('photos/x.jpg').catch((e: unknown) => e);
    expect(String(download)).not.toContain(TEST_BOT_TOKEN.split(':')[1]);
  });

  it('retries 5xx for reads but never for sends, which may have been delivered', async () => {
    const tg = client();
    fake.failNext('getChat', tgError(502, 'Bad Gateway'));
    fake.addChat({ id: -7, type: 'channel', title: 'Seven' });
    await expect(tg.getChat(-7)).resolves.toMatchObject({ id: -7 });
    const before = fake.callsOf('sendMessage').length;
    fake.failNext('sendMessage', tgError(502, 'Bad Gateway'));
    await expect(tg.sendMessage(6, 'x')).rejects.toMatchObject({ kind: 'server' });
    expect(fake.callsOf('sendMessage').length - before).toBe(1);
  });

  it('paces messages to one private chat', async () => {
    const tg = client({ privatePerSec: 10 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => tg.sendMessage(77, `m${i}`)));
    // Three go at once (the burst), the other three 100 ms apart.
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('refuses odd file paths before any request', async () => {
    await expect(client().downloadFile('../../etc/passwd')).rejects.toMatchObject({ kind: 'bad_request' });
  });
});
