// Prometheus metrics. One registry per app instance (tests run several apps in one process), default
// process metrics, HTTP durations by route, and PostgreSQL pool usage sampled at scrape time.
import client from 'prom-client';
import type pg from 'pg';

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  /** Failed steps of the draw scheduler (close, draw, next-due); each is retried on the next tick. */
  schedulerErrors: client.Counter<'step'>;
  watchPool(pool: pg.Pool): void;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const schedulerErrors = new client.Counter({
    name: 'draw_scheduler_errors_total',
    help: 'Failed draw scheduler steps by step (close, draw, next-due)',
    labelNames: ['step'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    schedulerErrors,
    watchPool(pool) {
      const gauge = (name: string, help: string, read: () => number) =>
        new client.Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read());
          },
        });
      gauge('pg_pool_connections', 'Open PostgreSQL connections in the pool', () => pool.totalCount);
      gauge('pg_pool_idle', 'Idle PostgreSQL connections in the pool', () => pool.idleCount);
      gauge('pg_pool_waiting', 'Requests waiting for a PostgreSQL connection', () => pool.waitingCount);
    },
  };
}
