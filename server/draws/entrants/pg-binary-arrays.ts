// PostgreSQL's binary images of bigint[] / integer[] (array_send / array_recv) and COPY's binary row format, for
// moving a frozen list without text: a range read comes back as two array images (COPY … FORMAT binary), whose
// elements are decoded straight into the u32 columns the Merkle threads read, and the stored chunks go back as
// array images too (binary bind parameters), cut from the same bytes. No decimal text of a million ids is
// written, parsed or re-encoded on either side.

import type { EntrantColumns } from '../protocol/index.ts';

/** pg_type OIDs of the element types. */
export const INT8_OID = 20;
export const INT4_OID = 23;

/** Bytes per element in an image: a 4-byte length, then the value. */
const ID_STRIDE = 12;
const WEIGHT_STRIDE = 8;
/** ndim, flags, element type, then one dimension (size, lower bound). */
const HEADER = 20;
const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** One range of a frozen list as PostgreSQL sent it: the element bytes of its id and weight images. */
export interface EntrantImages {
  count: number;
  /** `count` elements of 12 bytes (length 8, big-endian int8). */
  ids: Buffer;
  /** `count` elements of 8 bytes (length 4, big-endian int4). */
  weights: Buffer;
}

/**
 * The fields of the single row of a `COPY (SELECT …) TO STDOUT (FORMAT binary)` output; null for SQL NULL.
 * Anything but exactly one row is refused.
 */
export function parseCopyBinaryRow(out: Buffer): Array<Buffer | null> {
  if (out.length < 19 || !out.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error('not a binary COPY');
  let at = 15;
  at += 4 + out.readUInt32BE(at); // header extension
  const fields = out.readInt16BE(at);
  at += 2;
  if (fields < 0) throw new Error('binary COPY without a row');
  const row: Array<Buffer | null> = [];
  for (let f = 0; f < fields; f++) {
    const length = out.readInt32BE(at);
    at += 4;
    if (length === -1) {
      row.push(null);
      continue;
    }
    if (at + length > out.length) throw new Error('binary COPY cut short');
    row.push(out.subarray(at, at + length));
    at += length;
  }
  if (out.length !== at + 2 || out.readInt16BE(at) !== -1)
    throw new Error('binary COPY of more than one row');
  return row;
}

/**
 * The element bytes of a one-dimensional array image without NULLs, checked against its header: the element
 * type, the flags, and a length that only fixed-width elements of `stride` bytes give. NULL or an empty array
 * (ndim 0) give no elements.
 */
export function arrayImageElements(
  image: Buffer | null,
  elementOid: number,
): { count: number; body: Buffer } {
  const stride = elementOid === INT8_OID ? ID_STRIDE : WEIGHT_STRIDE;
  if (image === null) return { count: 0, body: Buffer.alloc(0) };
  if (image.length < 12) throw new Error('array image too short');
  const ndim = image.readInt32BE(0);
  if (image.readInt32BE(4) !== 0) throw new Error('array image with NULLs');
  if (image.readInt32BE(8) !== elementOid) throw new Error(`array image of type ${image.readInt32BE(8)}`);
  if (ndim === 0 && image.length === 12) return { count: 0, body: Buffer.alloc(0) };
  if (ndim !== 1 || image.length < HEADER) throw new Error(`array image of ${ndim} dimensions`);
  const count = image.readInt32BE(12);
  if (image.length !== HEADER + count * stride) throw new Error('array image length does not match its size');
  return { count, body: image.subarray(HEADER) };
}

/** The two array images (ids int8[], weights int4[]) of one range, as its element bytes; counts must agree. */
export function entrantImages(ids: Buffer | null, weights: Buffer | null): EntrantImages {
  const i = arrayImageElements(ids, INT8_OID);
  const w = arrayImageElements(weights, INT4_OID);
  if (i.count !== w.count) throw new Error(`${i.count} ids but ${w.count} weights`);
  return { count: i.count, ids: i.body, weights: w.body };
}

/** Ranges in order → one set of columns over shared memory (what the Merkle worker threads read). */
export function columnsFromImages(ranges: readonly EntrantImages[]): EntrantColumns {
  const n = ranges.reduce((sum, r) => sum + r.count, 0);
  const idHi = new Uint32Array(new SharedArrayBuffer(n * 4));
  const idLo = new Uint32Array(new SharedArrayBuffer(n * 4));
  const weights = new Uint32Array(new SharedArrayBuffer(n * 4));
  let at = 0;
  for (const r of ranges) {
    // DataView reads big-endian in one step; a loop of readUInt32BE calls costs several times as much.
    const ids = new DataView(r.ids.buffer, r.ids.byteOffset, r.ids.byteLength);
    const ws = new DataView(r.weights.buffer, r.weights.byteOffset, r.weights.byteLength);
    for (let i = 0; i < r.count; i++, at++) {
      idHi[at] = ids.getUint32(i * ID_STRIDE + 4);
      idLo[at] = ids.getUint32(i * ID_STRIDE + 8);
      weights[at] = ws.getUint32(i * WEIGHT_STRIDE + 4);
    }
  }
  return { idHi, idLo, weights };
}

/**
 * Ranges in order → array images of consecutive slices of `every` entrants (the stored chunks), copied from the
 * ranges' element bytes with a new header each: a slice may span ranges.
 */
export function chunkImages(
  ranges: readonly EntrantImages[],
  every: number,
): Array<{ ids: Buffer; weights: Buffer }> {
  if (!Number.isInteger(every) || every < 1) throw new Error('every must be a positive integer');
  const total = ranges.reduce((sum, r) => sum + r.count, 0);
  const out: Array<{ ids: Buffer; weights: Buffer }> = [];
  let range = 0;
  let offset = 0; // elements of ranges[range] already taken
  for (let start = 0; start < total; start += every) {
    const n = Math.min(every, total - start);
    const ids = imageHeader(INT8_OID, n, ID_STRIDE);
    const weights = imageHeader(INT4_OID, n, WEIGHT_STRIDE);
    for (let filled = 0; filled < n;) {
      const r = ranges[range] as EntrantImages;
      const take = Math.min(n - filled, r.count - offset);
      r.ids.copy(ids, HEADER + filled * ID_STRIDE, offset * ID_STRIDE, (offset + take) * ID_STRIDE);
      r.weights.copy(
        weights,
        HEADER + filled * WEIGHT_STRIDE,
        offset * WEIGHT_STRIDE,
        (offset + take) * WEIGHT_STRIDE,
      );
      filled += take;
      offset += take;
      if (offset === r.count) {
        range++;
        offset = 0;
      }
    }
    out.push({ ids, weights });
  }
  return out;
}

/** Columns → the images PostgreSQL would send for them (tests, and storing columns built in memory). */
export function imagesFromColumns(columns: EntrantColumns): EntrantImages {
  const n = columns.weights.length;
  const ids = Buffer.allocUnsafe(n * ID_STRIDE);
  const weights = Buffer.allocUnsafe(n * WEIGHT_STRIDE);
  for (let i = 0; i < n; i++) {
    ids.writeInt32BE(8, i * ID_STRIDE);
    ids.writeUInt32BE(columns.idHi[i] as number, i * ID_STRIDE + 4);
    ids.writeUInt32BE(columns.idLo[i] as number, i * ID_STRIDE + 8);
    weights.writeInt32BE(4, i * WEIGHT_STRIDE);
    weights.writeUInt32BE(columns.weights[i] as number, i * WEIGHT_STRIDE + 4);
  }
  return { count: n, ids, weights };
}

/** A whole one-dimensional array image of these elements (as array_send writes it; ndim 0 when empty). */
export function arrayImage(elementOid: number, body: Buffer, count: number): Buffer {
  if (count === 0) {
    const empty = Buffer.alloc(12);
    empty.writeInt32BE(elementOid, 8);
    return empty;
  }
  const image = imageHeader(elementOid, count, body.length / count);
  body.copy(image, HEADER);
  return image;
}

function imageHeader(elementOid: number, n: number, stride: number): Buffer {
  const image = Buffer.allocUnsafe(HEADER + n * stride);
  image.writeInt32BE(1, 0);
  image.writeInt32BE(0, 4);
  image.writeInt32BE(elementOid, 8);
  image.writeInt32BE(n, 12);
  image.writeInt32BE(1, 16);
  return image;
}
