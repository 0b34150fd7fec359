// The canonical entrant list as NDJSON text chunks, read in keyset slices (aggregated arrays, no per-row objects),
// so serving a million entrants costs bounded memory and a few dozen short queries.
import type * as db from 'zapatos/db';
import { selectEntrantColumns } from '../entrants/index.ts';

const SLICE = 50_000;
const TWO_POW_32 = 0x1_0000_0000;
/** High halves below this keep the whole id under 2^53. */
const SAFE_HI = 0x20_0000;

function decimal(hi: number, lo: number): string {
  return hi < SAFE_HI ? String(hi * TWO_POW_32 + lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

export async function* entrantsNdjson(
  client: db.Queryable,
  giveawayId: string,
  afterUserId: string,
  slice = SLICE,
): AsyncGenerator<string> {
  let after = afterUserId;
  for (;;) {
    const { idHi, idLo, weights } = await selectEntrantColumns(client, giveawayId, { after, limit: slice });
    const n = weights.length;
    if (n === 0) return;
    const lines = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const id = decimal(idHi[i] as number, idLo[i] as number);
      // Telegram ids are below 2^53; larger ones are written as strings so no reader rounds them.
      lines[i] =
        `{"user_id":${(idHi[i] as number) < SAFE_HI ? id : `"${id}"`},"weight":${weights[i] as number}}\n`;
    }
    yield lines.join('');
    if (n < slice) return;
    after = decimal(idHi[n - 1] as number, idLo[n - 1] as number);
  }
}
