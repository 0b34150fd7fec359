// Pure parsing of what users send the bot: callback data, /start payloads and the /new answers.
import { describe, expect, it } from 'vitest';
import { callbackData, parseCallback, parseStartPayload } from '../../server/bot/callback-data.ts';
import { parseDuration, parsePrizes, parseWinners } from '../../server/bot/new-giveaway-input.ts';
import { escapeHtml, ordinal } from '../../server/notifications/index.ts';

const ID = '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('bot input parsing', () => {
  it('round-trips callback data and rejects anything else', () => {
    expect(parseCallback(callbackData.join(ID))).toEqual({ kind: 'join', giveawayId: ID });
    expect(parseCallback(callbackData.newChannel(-1001))).toEqual({ kind: 'new-channel', chatId: -1001 });
    expect(parseCallback(callbackData.newChannel(null))).toEqual({ kind: 'new-channel', chatId: null });
    for (const bad of [undefined, '', 'j:', 'j:1', 'n:c:abc', 'x'.repeat(65), 'n:c:1e400']) {
      expect(parseCallback(bad)).toBeNull();
    }
  });

  it('reads a giveaway id from a /start payload', () => {
    expect(parseStartPayload(ID)).toBe(ID);
    expect(parseStartPayload(`g_${ID.toUpperCase()}`)).toBe(ID);
    expect(parseStartPayload('')).toBeNull();
    expect(parseStartPayload('ref123')).toBeNull();
  });

  it('parses prizes, winners and durations with the REST limits', () => {
    expect(parsePrizes('Premium\nStars x100\n\n')).toEqual({
      ok: true,
      value: [
        { title: 'Premium', quantity: 1 },
        { title: 'Stars', quantity: 100 },
      ],
    });
    expect(parsePrizes('A prize name that is far too long').ok).toBe(false);
    expect(parseWinners('1001').ok).toBe(false);
    expect(parseDuration('90m', 300)).toEqual({ ok: true, value: 5400 });
    expect(parseDuration('2', 300)).toEqual({ ok: true, value: 7200 });
    expect(parseDuration('1m', 300)).toEqual({ ok: false, error: 'The shortest giveaway is 5 minutes.' });
    expect(parseDuration('soon', 300).ok).toBe(false);
  });

  it('escapes HTML and names places', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '111th',
    ]);
  });
});
