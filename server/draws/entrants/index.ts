// Frozen entrant lists: read from SQL in canonical order, their Merkle trees built on worker threads, and kept
// per node for the draw, rerolls, manual winners and proof serving.
export { FrozenEntrantsStore, type FrozenEntrantsOptions } from './frozen-entrants.ts';
export { MerkleWorkers, merkleWorkers } from './merkle-workers.ts';
export {
  ENTRANT_CHUNK,
  freezeEntrantRows,
  copyEntrantImages,
  copyEntrantRange,
  insertEntrantChunks,
  readEntrantColumns,
  selectEntrantColumns,
  selectFrozenEntrants,
  selectFrozenMembers,
} from './entrants.queries.ts';
export { parseEntrantArrays, sliceArrayText } from './pg-int-arrays.ts';
export { EntrantRangeReaders, splitIdRange } from './entrant-ranges.ts';
export {
  arrayImage,
  chunkCopyPieces,
  columnsFromImages,
  entrantImages,
  imagesFromColumns,
  parseCopyBinaryRow,
  type EntrantImages,
} from './pg-binary-arrays.ts';
export type { IdRange } from './entrants.queries.ts';
