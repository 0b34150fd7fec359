// Webhook mode: the bot role registers the webhook with a secret token, and the api role's route refuses
// requests without that secret and handles those with it. TELEGRAM_DEBUG logs each update.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, textMessage, type Harness } from './support.ts';

const WEBHOOK_URL = 'https://bot.example.com/telegram/webhook';
const SECRET = 'right-secret_123';
const logLines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { BOT_WEBHOOK_URL: WEBHOOK_URL, BOT_WEBHOOK_SECRET: SECRET, TELEGRAM_DEBUG: 'true' },
    logger,
  });
});
afterAll(async () => {
  await h?.stop();
});

const post = (secret: string | undefined, body: unknown) =>
  fetch(`${h.url}/telegram/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === undefined ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret }),
    },
    body: JSON.stringify(body),
  });

describe('bot webhook', () => {
  it('registers the webhook with the secret and the update types it needs', async () => {
    await h.startBot();
    await h.fake.waitFor(() => h.fake.callsOf('setWebhook').length > 0);
    const call = h.fake.callsOf('setWebhook').at(-1);
    expect(call?.payload).toMatchObject({ url: WEBHOOK_URL, secret_token: SECRET });
    expect(call?.payload.allowed_updates).toEqual(
      expect.arrayContaining([
        'message',
        'callback_query',
        'my_chat_member',
        'chat_boost',
        'removed_chat_boost',
      ]),
    );
    expect(h.fake.callsOf('getUpdates')).toHaveLength(0);
  });

  it('refuses a request with a wrong or missing secret and handles nothing', async () => {
    const since = h.fake.since();
    const wrong = await post('wrong-secret', { update_id: 1, ...textMessage(901, '/start') });
    expect(wrong.status).toBe(401);
    const missing = await post(undefined, { update_id: 2, ...textMessage(901, '/start') });
    expect(missing.status).toBe(401);
    expect(since.callsOf('sendMessage')).toHaveLength(0);
  });

  it('handles an update sent with the right secret', async () => {
    const since = h.fake.since();
    const res = await post(SECRET, { update_id: 3, ...textMessage(902, '/start') });
    expect(res.status).toBe(200);
    const sent = since.callsOf('sendMessage');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.payload).toMatchObject({ chat_id: 902 });
    expect(String(sent[0]?.payload.text)).toContain('/new');
    expect(logLines.some((l) => l.includes('"Telegram update"') && l.includes('"update_id":3'))).toBe(true);
  });
});
