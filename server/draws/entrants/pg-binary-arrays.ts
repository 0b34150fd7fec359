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

/** A weight element of 1 (length 4, then the value), the weight of every entrant without tickets. */
const WEIGHT_ONE = Buffer.from([0, 0, 0, 4, 0, 0, 0, 1]);

/**
 * One range from its ids image (int8[], ascending) and the images of its ticket rows (ids int8[] ascending,
 * weights int4[] = 1 + tickets): every entrant weighs 1 unless a ticket row says otherwise. The tickets are
 * few (a sparse, index-only read), so merging them here costs less than a join per entrant in PostgreSQL. A
 * ticket whose user is not among the ids is ignored, as a join from the entrants would (its foreign key to
 * participants makes that impossible within one snapshot).
 */
export function entrantImagesWithTickets(
  ids: Buffer | null,
  ticketIds: Buffer | null,
  ticketWeights: Buffer | null,
): EntrantImages {
  const entrants = arrayImageElements(ids, INT8_OID);
  const tickets = arrayImageElements(ticketIds, INT8_OID);
  const ticketWs = arrayImageElements(ticketWeights, INT4_OID);
  if (tickets.count !== ticketWs.count)
    throw new Error(`${tickets.count} ticket ids but ${ticketWs.count} weights`);
  const n = entrants.count;
  const weights = Buffer.allocUnsafe(n * WEIGHT_STRIDE);
  if (n > 0) weights.fill(WEIGHT_ONE);
  const view = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const idv = view(entrants.body);
  const tv = view(tickets.body);
  const twv = view(ticketWs.body);
  const wv = view(weights);
  let at = 0;
  for (let k = 0; k < tickets.count; k++) {
    // int8 as (signed high word, unsigned low word): PostgreSQL's order of bigint.
    const hi = tv.getInt32(k * ID_STRIDE + 4);
    const lo = tv.getUint32(k * ID_STRIDE + 8);
    for (; at < n; at++) {
      const h = idv.getInt32(at * ID_STRIDE + 4);
      if (h > hi || (h === hi && idv.getUint32(at * ID_STRIDE + 8) >= lo)) break;
    }
    if (at < n && idv.getInt32(at * ID_STRIDE + 4) === hi && idv.getUint32(at * ID_STRIDE + 8) === lo)
      wv.setUint32(at * WEIGHT_STRIDE + 4, twv.getUint32(k * WEIGHT_STRIDE + 4));
  }
  return { count: n, ids: entrants.body, weights };
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
 * The whole input of `COPY draw_entrant_chunks (giveaway_id, chunk, first_user_id, last_user_id, user_ids,
 * weights) FROM STDIN (FORMAT binary)` for these ranges cut into chunks of `every`, as pieces to write in order:
 * small headers, and the ranges' element bytes themselves (subarrays, not copies). Returns the pieces and how
 * many chunks they hold.
 */
export function chunkCopyPieces(
  giveawayId: string,
  ranges: readonly EntrantImages[],
  every: number,
): { pieces: Buffer[]; chunks: number } {
  if (!Number.isInteger(every) || every < 1) throw new Error('every must be a positive integer');
  const uuid = Buffer.from(giveawayId.replace(/-/g, ''), 'hex');
  if (uuid.length !== 16) throw new Error(`not a giveaway id: ${giveawayId}`);
  const total = ranges.reduce((sum, r) => sum + r.count, 0);
  const header = Buffer.alloc(19);
  COPY_SIGNATURE.copy(header);
  const pieces: Buffer[] = [header];
  let range = 0;
  let offset = 0; // elements of ranges[range] already taken
  let chunk = 0;
  for (let start = 0; start < total; start += every, chunk++) {
    const n = Math.min(every, total - start);
    const idPieces: Buffer[] = [];
    const weightPieces: Buffer[] = [];
    let first = 0n;
    let last = 0n;
    for (let filled = 0; filled < n;) {
      const r = ranges[range] as EntrantImages;
      if (r.count === 0) {
        // An id range without entrants (ids cluster): nothing to take, and no first id to read from it.
        range++;
        continue;
      }
      const take = Math.min(n - filled, r.count - offset);
      if (filled === 0) first = r.ids.readBigInt64BE(offset * ID_STRIDE + 4);
      idPieces.push(r.ids.subarray(offset * ID_STRIDE, (offset + take) * ID_STRIDE));
      weightPieces.push(r.weights.subarray(offset * WEIGHT_STRIDE, (offset + take) * WEIGHT_STRIDE));
      filled += take;
      offset += take;
      if (filled === n) last = r.ids.readBigInt64BE((offset - 1) * ID_STRIDE + 4);
      if (offset === r.count) {
        range++;
        offset = 0;
      }
    }
    // Field count, then uuid, int4, int8, int8 (each after its length), then the id image's length and header.
    const row = Buffer.alloc(2 + 20 + 8 + 12 + 12 + 4 + HEADER);
    let at = row.writeInt16BE(6, 0);
    at = row.writeInt32BE(16, at);
    at += uuid.copy(row, at);
    at = row.writeInt32BE(4, at);
    at = row.writeInt32BE(chunk, at);
    at = row.writeInt32BE(8, at);
    at = row.writeBigInt64BE(first, at);
    at = row.writeInt32BE(8, at);
    at = row.writeBigInt64BE(last, at);
    at = row.writeInt32BE(HEADER + n * ID_STRIDE, at);
    writeImageHeader(row, at, INT8_OID, n);
    const weightsHeader = Buffer.alloc(4 + HEADER);
    weightsHeader.writeInt32BE(HEADER + n * WEIGHT_STRIDE, 0);
    writeImageHeader(weightsHeader, 4, INT4_OID, n);
    pieces.push(row, ...idPieces, weightsHeader, ...weightPieces);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  pieces.push(trailer);
  return { pieces, chunks: chunk };
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
  writeImageHeader(image, 0, elementOid, n);
  return image;
}

/** ndim 1, no NULLs, the element type, n elements from index 1. */
function writeImageHeader(out: Buffer, at: number, elementOid: number, n: number): void {
  out.writeInt32BE(1, at);
  out.writeInt32BE(0, at + 4);
  out.writeInt32BE(elementOid, at + 8);
  out.writeInt32BE(n, at + 12);
  out.writeInt32BE(1, at + 16);
}
