// Batched reads (MGET) must report exactly what one GET per key would: values, vanished keys as nothing,
// and a key that is no longer a string as the read error GET gives.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LegacySource } from '../../server/legacy-import/legacy-source.ts';
import { startLegacyRedis, type LegacyRedis } from './harness.ts';

let redis: LegacyRedis;
let source: LegacySource;

beforeAll(async () => {
  redis = await startLegacyRedis();
  source = new LegacySource(redis.url);
  await source.connect();
});
afterAll(async () => {
  await source?.close();
  await redis?.stop();
});

it('reads many keys like one GET each, reporting a key of another type as GET does', async () => {
  const keys = Array.from({ length: 1203 }, (_, i) => `mget:${i}`);
  const p = redis.client.pipeline();
  keys.forEach((key, i) => {
    if (i % 100 === 7) p.hset(key, 'f', 'v');
    else if (i % 100 !== 9) p.set(key, `value ${i}\twith\nbreaks`);
  });
  await p.exec();

  const batched = await source.mgets(keys);
  const single = await source.gets(keys);

  expect(batched).toEqual(single);
  expect(batched[0]).toEqual({ ok: true, value: 'value 0\twith\nbreaks' });
  expect(batched[9]).toEqual({ ok: true, value: null });
  expect(batched[707]).toMatchObject({ ok: false, error: expect.stringMatching(/^WRONGTYPE/) });
});
