// Builds the entrant Merkle tree (draw protocol §2) on every core: the leaves are cut into aligned power-of-two
// chunks, each chunk's subtree is exactly a slice of the global levels (pairs never cross an aligned boundary,
// and only the global last node can be unpaired), so worker threads fill shared level buffers and the main
// thread hashes the few levels above the chunks. Freezing 1M entrants is ~2M SHA-256 calls; this splits them.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  buildMerkleTree,
  canonicalColumns,
  frozenFromColumns,
  hashLeaves,
  type EntrantColumns,
  type FrozenEntrants,
  type MerkleTree,
} from '../protocol/index.ts';

/** Below this many leaves, one thread is faster than handing work to others. */
const PARALLEL_FROM = 32_768;
const HASH_BYTES = 32;

interface Task {
  idHi: Uint32Array;
  idLo: Uint32Array;
  weights: Uint32Array;
  levels: SharedArrayBuffer[];
  sizes: number[];
  start: number;
  end: number;
  depth: number;
}

export class MerkleWorkers {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ task: Task; done: (err?: Error) => void }> = [];
  /** The task each busy worker holds, so a crash fails exactly that one. */
  private readonly running = new Map<Worker, (err?: Error) => void>();

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  /** Freezes database columns (already in canonical order, usually) with the tree built in parallel. */
  async freeze(columns: EntrantColumns): Promise<FrozenEntrants> {
    const canonical = canonicalColumns(columns);
    return frozenFromColumns(canonical, await this.buildTree(canonical));
  }

  /** The same tree as buildMerkleTree(hashLeaves(...)), level for level. */
  async buildTree(columns: EntrantColumns): Promise<MerkleTree> {
    const n = columns.weights.length;
    if (n < PARALLEL_FROM || this.size < 2) {
      return buildMerkleTree(hashLeaves(columns.idHi, columns.idLo, columns.weights));
    }
    const sizes = [n];
    while ((sizes[sizes.length - 1] as number) > 1)
      sizes.push(Math.ceil((sizes[sizes.length - 1] as number) / 2));
    // About four chunks per thread, so a slow thread (the machine is shared) does not hold up the rest.
    let depth = 14;
    while (depth + 1 < sizes.length && n / 2 ** (depth + 1) >= 4 * this.size) depth++;
    depth = Math.min(depth, sizes.length - 1);
    const chunk = 2 ** depth;
    const levels = sizes.slice(0, depth + 1).map((s) => new SharedArrayBuffer(s * HASH_BYTES));
    const shared = {
      idHi: toShared(columns.idHi),
      idLo: toShared(columns.idLo),
      weights: toShared(columns.weights),
    };
    const jobs: Array<Promise<void>> = [];
    for (let start = 0; start < n; start += chunk) {
      jobs.push(this.submit({ ...shared, levels, sizes, start, end: Math.min(n, start + chunk), depth }));
    }
    await Promise.all(jobs);
    const buffers = levels.map((sab) => Buffer.from(sab));
    // Above the chunks: few nodes, same pairing rule, so the protocol's own builder finishes the tree.
    const top = buildMerkleTree(buffers[depth] as Buffer);
    return { count: n, levels: [...buffers, ...top.levels.slice(1)], root: top.root };
  }

  /**
   * Starts every thread now, so the first draw does not wait for them (~250 ms each under a loader such as tsx,
   * measured in bench/draw-1m). Idle threads never keep the process alive.
   */
  warm(): void {
    if (this.size < 2) return; // buildTree stays on the calling thread then
    while (this.workers.length < this.size) {
      const worker = this.spawn();
      if (!worker) return;
      worker.unref();
      this.idle.push(worker);
    }
  }

  /** Threads running now, busy or idle. */
  get started(): number {
    return this.workers.length;
  }

  /** Ends the threads (tests, CLI); idle ones never keep a process alive anyway. */
  async close(): Promise<void> {
    const all = this.workers.splice(0);
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private submit(task: Task): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, done: (err) => (err ? reject(err) : resolve()) });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      const next = this.queue.shift();
      if (!next) return;
      this.running.set(worker, next.done);
      worker.ref();
      worker.postMessage(next.task);
    }
  }

  private spawn(): Worker | undefined {
    if (this.workers.length >= this.size) return undefined;
    const worker = new Worker(new URL('./merkle-worker.mjs', import.meta.url), {
      execArgv: workerExecArgv(),
    });
    worker.on('message', (msg: { error?: string }) => {
      const done = this.running.get(worker);
      this.running.delete(worker);
      worker.unref();
      this.idle.push(worker);
      done?.(msg.error === undefined ? undefined : new Error(`merkle worker: ${msg.error}`));
      this.pump();
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`merkle worker exited with ${code}`)));
    this.workers.push(worker);
    return worker;
  }

  /** A dead worker fails the task it held; a new one is started for the rest when needed. */
  private fail(worker: Worker, err: Error): void {
    const at = this.workers.indexOf(worker);
    if (at < 0) return;
    this.workers.splice(at, 1);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    const done = this.running.get(worker);
    this.running.delete(worker);
    done?.(err);
    this.pump();
  }
}

/**
 * The parent's node flags minus its module loaders (`--import tsx` and the like): the worker is plain JavaScript,
 * and loading a loader in every thread cost ~250 ms of its start. Flags such as --cpu-prof stay.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const loaders = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (loaders.includes(arg)) i++;
    else if (!loaders.some((flag) => arg.startsWith(`${flag}=`))) kept.push(arg);
  }
  return kept;
}

function toShared(column: Uint32Array): Uint32Array {
  if (column.buffer instanceof SharedArrayBuffer) return column;
  const copy = new Uint32Array(new SharedArrayBuffer(column.byteLength));
  copy.set(column);
  return copy;
}

let shared: MerkleWorkers | undefined;
/** One pool per process: threads are started on first use and kept for the next draw. */
export function merkleWorkers(): MerkleWorkers {
  shared ??= new MerkleWorkers();
  return shared;
}
