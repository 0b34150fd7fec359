// Operations endpoints: /live (process up), /ready (started, not draining, PostgreSQL answers), /health
// (every dependency, for alerts),
// /metrics (Prometheus). None needs authentication; none reveals hosts, SQL or secrets.
import { Router } from 'express';
import type { HealthChecker } from '../health.ts';
import type { Metrics } from '../metrics.ts';

export interface Readiness {
  /** True once migrations ran and every role started. */
  started: boolean;
  /** True while shutting down: load balancers should stop sending traffic. */
  draining: boolean;
}

export function opsRoutes(deps: { health: HealthChecker; metrics: Metrics; readiness: Readiness }): Router {
  const router = Router();
  router.get('/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health', async (_req, res) => {
    const report = await deps.health.check();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  router.get('/ready', async (_req, res) => {
    const { started, draining } = deps.readiness;
    const report = await deps.health.check();
    // PostgreSQL holds all state: without it nothing works. Without Redis a node still serves (REST and joins
    // go to PostgreSQL, watchers are fed from PostgreSQL by the local relay, rate limits fall back to memory):
    // taking every node out of the load balancer during a Redis outage would turn it into a full outage.
    const ready = started && !draining && report.postgres.ok;
    res.status(ready ? 200 : 503).json({
      ready,
      degraded: ready && report.status !== 'ok',
      started,
      draining,
      deps: { postgres: report.postgres, redis: report.redis },
    });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
