// Reading a frozen entrant list fast: id ranges read at once give the canonical list whatever the ids (up to
// 2^63 − 1, where max + 1 does not fit a bigint), and the NDJSON stream writes ids beyond 2^53 as strings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrantsNdjson } from '../../../server/draws/proofs/entrants-ndjson.ts';
import { insertEntrantChunks, readEntrantColumns } from '../../../server/draws/entrants/entrants.queries.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
const id = '00000000-0000-4000-8000-0000000000aa';
const ids = [1n, 2n, 77n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 62n, 2n ** 63n - 1n];

beforeAll(async () => {
  database = await createTestDatabase();
  // Frozen lists are written only from participants; here directly, to reach ids no Telegram user has.
  await insertEntrantChunks(
    database.pool,
    id,
    `{${ids.join(',')}}`,
    `{${ids.map((_, i) => 2 + i).join(',')}}`,
  );
});
afterAll(async () => {
  await database?.drop();
});

describe('readEntrantColumns', () => {
  it('reads the whole list in canonical order, in any number of id ranges', async () => {
    for (const parts of [1, 2, 3, 4, 16]) {
      const c = await readEntrantColumns(database.pool, id, parts);
      const read = Array.from(c.idHi, (hi, i) => (BigInt(hi) << 32n) | BigInt(c.idLo[i] ?? 0));
      expect(read, `parts=${parts}`).toEqual(ids);
      expect(Array.from(c.weights)).toEqual(ids.map((_, i) => 2 + i));
    }
    const none = await readEntrantColumns(database.pool, '00000000-0000-4000-8000-0000000000bb');
    expect(none.weights).toHaveLength(0);
  });

  it('streams NDJSON with exact ids: numbers up to 2^53, strings beyond', async () => {
    let text = '';
    for await (const chunk of entrantsNdjson(database.pool, id, '0', 3)) text += chunk;
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(ids.length);
    expect(lines[0]).toBe('{"user_id":1,"weight":2}');
    expect(lines[4]).toBe(`{"user_id":"${2n ** 53n + 1n}","weight":6}`);
    expect(lines[6]).toBe(`{"user_id":"${2n ** 63n - 1n}","weight":8}`);
  });
});
