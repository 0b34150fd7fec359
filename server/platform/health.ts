// Dependency probes behind /health and /ready. Each probe is bounded in time so a hung dependency turns
// into a 503 quickly instead of a hung health check.
import type pg from 'pg';
import type { Redis } from './redis.ts';

export interface ProbeResult {
  ok: boolean;
  latency_ms: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  postgres: ProbeResult;
  redis: ProbeResult | 'disabled';
}

const PROBE_TIMEOUT_MS = 1_500;

async function probe(run: () => Promise<unknown>): Promise<ProbeResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, latency_ms: round(performance.now() - started) };
  } catch (err) {
    return { ok: false, latency_ms: round(performance.now() - started), error: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
// Probe errors are shown on an unauthenticated endpoint: keep them to a class of failure, no hosts or SQL.
const describe = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message.slice(0, 80) : 'error';
};

export class HealthChecker {
  constructor(
    private readonly pool: pg.Pool,
    private readonly redis: Redis | null,
  ) {}

  async check(): Promise<HealthReport> {
    const [postgres, redis] = await Promise.all([
      probe(() => this.pool.query('SELECT 1')),
      this.redis ? probe(() => (this.redis as Redis).ping()) : Promise.resolve('disabled' as const),
    ]);
    const ok = postgres.ok && (redis === 'disabled' || redis.ok);
    return { status: ok ? 'ok' : 'unavailable', postgres, redis };
  }
}
