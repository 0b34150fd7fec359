// Creates the embedded cluster so that a stop or a crash at any moment leaves either no data directory or a
// complete one: initdb writes into a scratch directory beside it, which is renamed into place only once
// initdb succeeded. Leftover scratch directories (a SIGKILL, a power cut) are swept on the next start.
import { spawn } from 'node:child_process';
import {
  chownSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../logger.ts';
import { onAbort } from './on-abort.ts';
import type { PostgresBinaries, RunAs } from './postgres-binaries.ts';

const scratchPrefix = (dataDir: string) => `${basename(dataDir)}.init-`;

/** Removes what an interrupted initdb left beside `dataDir`. */
export function sweepInterruptedInit(dataDir: string, log: Logger): void {
  const parent = dirname(dataDir);
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(scratchPrefix(dataDir))) continue;
    log.warn({ path: join(parent, name) }, 'Removing what an interrupted first start left (initdb)');
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

export async function initCluster(opts: {
  binaries: PostgresBinaries;
  runAs: RunAs | undefined;
  /** The final data directory; it must not exist yet. */
  dataDir: string;
  user: string;
  password: string;
  log: Logger;
  signal?: AbortSignal;
}): Promise<void> {
  const { runAs, log, signal } = opts;
  signal?.throwIfAborted();
  const scratch = `${dirname(opts.dataDir)}/${scratchPrefix(opts.dataDir)}${process.pid}`;
  const pwFile = `${scratch}.pw`;
  mkdirSync(scratch, { mode: 0o700 });
  await writeFile(pwFile, `${opts.password}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(scratch, runAs.uid, runAs.gid);
    chownSync(pwFile, runAs.uid, runAs.gid);
  }
  try {
    const output: string[] = [];
    // Detached (its own process group): a Ctrl-C or a signal to our group must not kill it half-way; we
    // decide, and on abort we stop its whole group (initdb and the bootstrap backend it runs).
    const child = spawn(
      opts.binaries.initdb,
      [
        `--pgdata=${scratch}`,
        '--auth=scram-sha-256',
        `--username=${opts.user}`,
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--lc-messages=C',
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...runAs },
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString().trim();
      if (!text) return;
      output.push(text);
      log.debug(text);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const abort = () => {
      if (child.pid !== undefined) killGroup(child.pid);
    };
    const unsubscribe = onAbort(signal, abort);
    const exit = await new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolve({ code, sig }));
    }).finally(unsubscribe);
    signal?.throwIfAborted();
    if (exit.code !== 0) {
      throw new Error(
        `initdb failed (code ${String(exit.code)}, signal ${String(exit.sig)}): ${output.slice(-5).join(' | ')}`,
      );
    }
    renameSync(scratch, opts.dataDir);
    syncDirectory(dirname(opts.dataDir));
  } finally {
    rmSync(pwFile, { force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

/** Makes the rename durable: a power cut right after boot must not bring back the scratch name. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
