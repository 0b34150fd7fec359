// The binary codec of frozen lists: columns survive PostgreSQL's array image format both ways, chunks cut from
// ranges are the chunks of the whole list wherever the range borders fall, malformed images and COPY outputs are
// refused, and id ranges cover every id exactly once.
import { describe, expect, it } from 'vitest';
import {
  INT4_OID,
  INT8_OID,
  arrayImage,
  arrayImageElements,
  chunkCopyPieces,
  columnsFromImages,
  entrantImages,
  entrantImagesWithTickets,
  imagesFromColumns,
  parseCopyBinaryRow,
  type EntrantImages,
} from '../../../server/draws/entrants/pg-binary-arrays.ts';
import { splitIdRange } from '../../../server/draws/entrants/entrant-ranges.ts';
import type { EntrantColumns } from '../../../server/draws/protocol/index.ts';

function columnsOf(ids: bigint[], weights: number[]): EntrantColumns {
  return {
    idHi: Uint32Array.from(ids, (id) => Number(id >> 32n)),
    idLo: Uint32Array.from(ids, (id) => Number(id & 0xffffffffn)),
    weights: Uint32Array.from(weights),
  };
}
const plain = (c: EntrantColumns) => ({
  idHi: Array.from(c.idHi),
  idLo: Array.from(c.idLo),
  weights: Array.from(c.weights),
});
/** The images as PostgreSQL sends them for the given columns (array_send). */
function sent(c: EntrantColumns): { ids: Buffer; weights: Buffer } {
  const e = imagesFromColumns(c);
  return { ids: arrayImage(INT8_OID, e.ids, e.count), weights: arrayImage(INT4_OID, e.weights, e.count) };
}
function slice(images: EntrantImages, from: number, to: number): EntrantImages {
  return {
    count: to - from,
    ids: images.ids.subarray(from * 12, to * 12),
    weights: images.weights.subarray(from * 8, to * 8),
  };
}

const ids = [1n, 5_000_000_007n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n];
const weights = [1, 2, 3, 4, 2_147_483_647, 1];

describe('a range read as ids and ticket rows', () => {
  // Ascending as PostgreSQL orders bigint: a negative id (high word 0xffffffff) first.
  const entrants = [-5n, 1n, 2n ** 32n - 1n, 2n ** 32n, 5_000_000_007n, 2n ** 53n + 1n, 2n ** 63n - 1n];
  const merged = (ticketIds: bigint[], ticketWeights: number[], ids = entrants) => {
    const e = sent(
      columnsOf(
        ids,
        ids.map(() => 1),
      ),
    );
    const t = sent(columnsOf(ticketIds, ticketWeights));
    return plain(columnsFromImages([entrantImagesWithTickets(e.ids, t.ids, t.weights)]));
  };

  it('weighs every entrant 1, and a ticket holder 1 + tickets, matched by id across word borders', () => {
    expect(merged([], []).weights).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const got = merged([-5n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 63n - 1n], [4, 3, 5, 2_147_483_647]);
    expect(got.weights).toEqual([4, 1, 3, 5, 1, 1, 2_147_483_647]);
    expect(got).toMatchObject({ idHi: plain(columnsOf(entrants, [])).idHi });
  });

  it('ignores a ticket whose user is not an entrant, as a join from the entrants does', () => {
    expect(merged([0n, 3n, 4_000_000_000_000n, 2n ** 63n - 1n], [9, 9, 9, 2]).weights).toEqual([
      1, 1, 1, 1, 1, 1, 2,
    ]);
    expect(merged([7n], [3], []).weights).toEqual([]);
  });

  it('refuses ticket ids and weights of different lengths', () => {
    const e = sent(
      columnsOf(
        entrants,
        entrants.map(() => 1),
      ),
    );
    const t = sent(columnsOf([1n, 2n], [2, 3]));
    const one = sent(columnsOf([1n], [2]));
    expect(() => entrantImagesWithTickets(e.ids, t.ids, one.weights)).toThrow(/2 ticket ids but 1 weights/);
  });
});

describe('array images', () => {
  it('decode back to the columns they were made of, ids past 2^32 and 2^53 included', () => {
    const c = columnsOf(ids, weights);
    const { ids: i, weights: w } = sent(c);
    const decoded = columnsFromImages([entrantImages(i, w)]);
    expect(plain(decoded)).toEqual(plain(c));
    expect(decoded.weights.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('read NULL and the empty array (no dimensions) as no entrants', () => {
    const empty = sent(columnsOf([], []));
    expect(empty.ids).toHaveLength(12);
    expect(entrantImages(empty.ids, empty.weights).count).toBe(0);
    expect(entrantImages(null, null).count).toBe(0);
    expect(columnsFromImages([]).weights).toHaveLength(0);
  });

  it('are refused with NULLs, another element type, a length that does not match, or uneven counts', () => {
    const { ids: i, weights: w } = sent(columnsOf(ids, weights));
    const withNulls = Buffer.from(i);
    withNulls.writeInt32BE(1, 4);
    expect(() => arrayImageElements(withNulls, INT8_OID)).toThrow(/NULLs/);
    expect(() => arrayImageElements(w, INT8_OID)).toThrow(/type 23/);
    expect(() => arrayImageElements(i.subarray(0, i.length - 1), INT8_OID)).toThrow(/length/);
    const fewer = sent(columnsOf(ids.slice(1), weights.slice(1)));
    expect(() => entrantImages(i, fewer.weights)).toThrow(/6 ids but 5 weights/);
  });

  it('cut into the chunks COPY stores give the chunks of the whole list, wherever the ranges end', () => {
    const n = 23;
    const giveawayId = '0b6f3c52-9a4e-4d7b-8f1a-2c3d4e5f6a7b';
    const all = columnsOf(
      Array.from({ length: n }, (_, k) => 7_000_000_000n + BigInt(k * k)),
      Array.from({ length: n }, (_, k) => 1 + (k % 5)),
    );
    const whole = imagesFromColumns(all);
    const expected = copyRows(chunkCopyPieces(giveawayId, [whole], 5));
    expect(expected.map((r) => [r.chunk, r.first, r.last, r.count])).toEqual([
      [0, 7_000_000_000n, 7_000_000_016n, 5],
      [1, 7_000_000_025n, 7_000_000_081n, 5],
      [2, 7_000_000_100n, 7_000_000_196n, 5],
      [3, 7_000_000_225n, 7_000_000_361n, 5],
      [4, 7_000_000_400n, 7_000_000_484n, 3],
    ]);
    expect(expected.every((r) => r.giveawayId === giveawayId.replace(/-/g, ''))).toBe(true);
    expect(plain(columnsFromImages(expected.map((r) => entrantImages(r.ids, r.weights))))).toEqual(
      plain(all),
    );
    for (const borders of [
      [0, 23],
      [0, 4, 5, 23],
      [0, 0, 10, 10, 11, 23, 23],
      [0, 1, 2, 3, 9, 15, 20, 23],
    ]) {
      const ranges = borders.slice(0, -1).map((from, k) => slice(whole, from, borders[k + 1] as number));
      expect(copyRows(chunkCopyPieces(giveawayId, ranges, 5))).toEqual(expected);
      expect(plain(columnsFromImages(ranges))).toEqual(plain(all));
    }
    expect(copyRows(chunkCopyPieces(giveawayId, [], 5))).toEqual([]);
    // What broke (RangeError, so the close failed and was retried for ever): an id range without entrants
    // that starts exactly where a chunk starts, i.e. after a range that ended on a chunk boundary.
    const afterFullChunk = [slice(whole, 0, 10), slice(whole, 10, 10), slice(whole, 10, 23)];
    expect(copyRows(chunkCopyPieces(giveawayId, afterFullChunk, 5))).toEqual(expected);
    expect(() => chunkCopyPieces(giveawayId, [whole], 0)).toThrow(/positive/);
    expect(() => chunkCopyPieces('not-a-uuid', [whole], 5)).toThrow(/not a giveaway id/);
  });
});

/** The rows of a binary COPY stream of draw_entrant_chunks, read back field by field. */
function copyRows({ pieces, chunks }: ReturnType<typeof chunkCopyPieces>) {
  const all = Buffer.concat(pieces);
  expect(all.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  let at = 19;
  const rows = [];
  for (;;) {
    const fields = all.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    expect(fields).toBe(6);
    const values: Buffer[] = [];
    for (let f = 0; f < fields; f++) {
      const length = all.readInt32BE(at);
      values.push(all.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    const [uuid, chunk, first, last, ids, weights] = values as [
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
      Buffer,
    ];
    rows.push({
      giveawayId: uuid.toString('hex'),
      chunk: chunk.readInt32BE(0),
      first: first.readBigInt64BE(0),
      last: last.readBigInt64BE(0),
      count: arrayImageElements(ids, INT8_OID).count,
      ids: Buffer.from(ids),
      weights: Buffer.from(weights),
    });
  }
  expect(at).toBe(all.length);
  expect(rows).toHaveLength(chunks);
  return rows;
}

describe('binary COPY output', () => {
  const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
  const header = Buffer.concat([signature, Buffer.alloc(8)]);
  const int16 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return b;
  };
  const field = (v: Buffer | null) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v === null ? -1 : v.length);
    return v === null ? b : Buffer.concat([b, v]);
  };
  const row = (...fields: Array<Buffer | null>) =>
    Buffer.concat([int16(fields.length), ...fields.map(field)]);

  it('gives the fields of its one row, NULL as null', () => {
    const out = Buffer.concat([header, row(Buffer.from('ab'), null, Buffer.alloc(0)), int16(-1)]);
    expect(parseCopyBinaryRow(out)).toEqual([Buffer.from('ab'), null, Buffer.alloc(0)]);
  });

  it('is refused without the signature, without a row, with two rows or cut short', () => {
    const one = row(Buffer.from('ab'));
    expect(() => parseCopyBinaryRow(Buffer.concat([Buffer.alloc(19), one, int16(-1)]))).toThrow(
      /not a binary/,
    );
    expect(() => parseCopyBinaryRow(Buffer.concat([header, int16(-1)]))).toThrow(/without a row/);
    expect(() => parseCopyBinaryRow(Buffer.concat([header, one, one, int16(-1)]))).toThrow(/more than one/);
    expect(() => parseCopyBinaryRow(Buffer.concat([header, one]).subarray(0, 25))).toThrow(/cut short/);
  });
});

describe('splitIdRange', () => {
  const rangeOf = (ranges: ReturnType<typeof splitIdRange>, id: bigint) =>
    ranges.filter((r) => (r.from === null || id >= r.from) && (r.to === null || id < r.to)).length;

  it('puts every id, inside [min, max] or not, in exactly one range', () => {
    for (const [min, max, parts] of [
      [100n, 1_000n, 4],
      [5_000_000_000n, 5_000_000_003n, 4],
      [7n, 7n, 4],
      [0n, 9n, 3],
      [1n, 2n ** 62n, 8],
    ] as const) {
      const ranges = splitIdRange(min, max, parts);
      expect(ranges.length).toBeLessThanOrEqual(parts);
      expect(ranges[0]?.from).toBeNull();
      expect(ranges.at(-1)?.to).toBeNull();
      for (const id of [min - 5n, min, min + 1n, (min + max) / 2n, max - 1n, max, max + 5n]) {
        expect(rangeOf(ranges, id)).toBe(1);
      }
      for (const r of ranges) if (r.from !== null && r.to !== null) expect(r.from).toBeLessThan(r.to);
    }
    expect(splitIdRange(7n, 7n, 4)).toEqual([{ from: null, to: null }]);
    expect(() => splitIdRange(1n, 2n, 0)).toThrow(/positive/);
  });
});
