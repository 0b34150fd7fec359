// Worker thread of merkle-workers.ts: hashes one aligned chunk of entrants (draw protocol §2) into shared level
// buffers: leaves, then every level of the chunk's own subtree. Plain JavaScript so it runs under any loader
// (tsx, vitest, plain node) without a TypeScript hook in the worker.
import { parentPort } from 'node:worker_threads';
// The protocol's level hasher: the WASM SIMD kernel, node:crypto where SIMD is missing.
import { levelHasher } from '../protocol/sha256-levels.mjs';

const hasher = levelHasher();

parentPort.on('message', (task) => {
  try {
    run(task);
    parentPort.postMessage({ id: task.id });
  } catch (err) {
    parentPort.postMessage({ id: task.id, error: String(err && err.stack ? err.stack : err) });
  }
});

/**
 * task: { id, idHi, idLo, weights (Uint32Array over shared memory), levels (SharedArrayBuffer per level),
 * sizes (node count per level), start, end (leaf range, start a multiple of 2^depth), depth }.
 */
function run(task) {
  const { idHi, idLo, weights, sizes, start, end, depth } = task;
  const levels = task.levels.map((sab) => Buffer.from(sab));
  hasher.leaves(idHi, idLo, weights, start, end, levels[0], start * 32);
  for (let l = 1; l <= depth; l++) {
    const below = levels[l - 1];
    const here = levels[l];
    const belowSize = sizes[l - 1];
    const from = start / 2 ** l;
    const to = Math.ceil(end / 2 ** l);
    // Nodes from..to: pairs while both children exist, then at most the global unpaired last node.
    const paired = Math.min(to, Math.floor(belowSize / 2));
    if (paired > from) hasher.nodes(below, from * 64, paired - from, here, from * 32);
    for (let j = Math.max(from, paired); j < to; j++) {
      // The unpaired last node moves up unchanged.
      below.copy(here, j * 32, 2 * j * 32, 2 * j * 32 + 32);
    }
  }
}
