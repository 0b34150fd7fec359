// Worker thread of merkle-workers.ts: hashes one aligned chunk of entrants (draw protocol §2) into shared level
// buffers: leaves, then every level of the chunk's own subtree. Plain JavaScript so it runs under any loader
// (tsx, vitest, plain node) without a TypeScript hook in the worker.
import { createHash, hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

// crypto.hash (Node >= 20.12) skips the Hash object; the latin1 digest avoids a Buffer per call.
const digest =
  typeof hash === 'function'
    ? (data) => hash('sha256', data, 'latin1')
    : (data) => createHash('sha256').update(data).digest('latin1');

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
  const leaves = levels[0];
  const pre = Buffer.alloc(13);
  pre[0] = 0x00;
  for (let i = start; i < end; i++) {
    pre.writeUInt32BE(idHi[i], 1);
    pre.writeUInt32BE(idLo[i], 5);
    pre.writeUInt32BE(weights[i], 9);
    leaves.write(digest(pre), i * 32, 32, 'latin1');
  }
  const pair = Buffer.alloc(65);
  pair[0] = 0x01;
  for (let l = 1; l <= depth; l++) {
    const below = levels[l - 1];
    const here = levels[l];
    const belowSize = sizes[l - 1];
    const from = start / 2 ** l;
    const to = Math.ceil(end / 2 ** l);
    for (let j = from; j < to; j++) {
      const left = 2 * j;
      if (left + 1 < belowSize) {
        below.copy(pair, 1, left * 32, left * 32 + 64);
        here.write(digest(pair), j * 32, 32, 'latin1');
      } else {
        // The unpaired last node moves up unchanged.
        below.copy(here, j * 32, left * 32, left * 32 + 32);
      }
    }
  }
}
