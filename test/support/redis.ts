// Redis isolation: the shared server with a per-file key prefix, or a private redis-server process for
// tests that stop and restart Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { inject } from 'vitest';
import { freePort } from './free-port.ts';

export function testRedisUrl(): string {
  return inject('redisUrl');
}

export function testKeyPrefix(): string {
  return `gwtest:${randomBytes(4).toString('hex')}:`;
}

export interface PrivateRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A redis-server of our own on a free port: stop() and start() simulate a Redis restart. */
export async function startPrivateRedis(opts: { password?: string } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (opts.password) args.push('--requirepass', opts.password);
  const handle: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'ignore'] });
      proc = child;
      // redis-server logs this once it accepts connections; it exits instead if it cannot start.
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (!output.includes('Ready to accept connections')) return;
          child.off('exit', onExit);
          child.stdout.off('data', onData);
          resolve();
        };
        const onExit = () => reject(new Error(`redis-server on ${port} did not start:\n${output}`));
        child.stdout.on('data', onData);
        child.once('exit', onExit);
      });
      child.stdout.resume(); // later log lines are dropped, so they never fill the pipe
    },
    async stop() {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill('SIGKILL');
      await exited;
    },
  };
  await handle.start();
  return handle;
}
