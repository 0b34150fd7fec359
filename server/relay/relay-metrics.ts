// Prometheus instruments of the relay, registered on the app's registry when one is given (no-ops otherwise).
import client from 'prom-client';
import type { Metrics } from '../platform/metrics.ts';

/** How an event left this node: through the cluster adapter, or to this node's sockets only. */
export type EmitPath = 'cluster' | 'local';

export interface RelayMetrics {
  emitted(event: string, path: EmitPath): void;
  failed(stage: string): void;
  leader(on: boolean): void;
  /** The local relay (Redis path lost) started or stopped on this node. */
  localRelay(on: boolean): void;
}

const NOOP: RelayMetrics = {
  emitted: () => undefined,
  failed: () => undefined,
  leader: () => undefined,
  localRelay: () => undefined,
};

export function relayMetrics(metrics: Metrics | undefined): RelayMetrics {
  if (!metrics) return NOOP;
  const registers = [metrics.registry];
  // Several relays may share one registry (tests, benches): reuse instruments already registered.
  const existing = (name: string) => metrics.registry.getSingleMetric(name);
  const events =
    (existing('relay_events_total') as client.Counter<'event' | 'path'> | undefined) ??
    new client.Counter({
      name: 'relay_events_total',
      help: 'Room events emitted by the relays, by event and path (cluster: through Redis; local: this node only)',
      labelNames: ['event', 'path'] as const,
      registers,
    });
  const failures =
    (existing('relay_failures_total') as client.Counter<'stage'> | undefined) ??
    new client.Counter({
      name: 'relay_failures_total',
      help: 'Relay passes that failed (and were retried)',
      labelNames: ['stage'] as const,
      registers,
    });
  const leader =
    (existing('relay_leader') as client.Gauge | undefined) ??
    new client.Gauge({ name: 'relay_leader', help: '1 while this node is the active relay', registers });
  const local =
    (existing('relay_local_active') as client.Gauge | undefined) ??
    new client.Gauge({
      name: 'relay_local_active',
      help: '1 while this node relays its own rooms from PostgreSQL (Redis path lost, or just back)',
      registers,
    });
  return {
    emitted: (event, path) => events.inc({ event, path }),
    failed: (stage) => failures.inc({ stage }),
    leader: (on) => leader.set(on ? 1 : 0),
    localRelay: (on) => local.set(on ? 1 : 0),
  };
}
