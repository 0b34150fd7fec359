// Prometheus instruments of the relay, registered on the app's registry when one is given (no-ops otherwise).
import client from 'prom-client';
import type { Metrics } from '../platform/metrics.ts';

export interface RelayMetrics {
  emitted(event: string): void;
  failed(stage: string): void;
  leader(on: boolean): void;
}

const NOOP: RelayMetrics = { emitted: () => undefined, failed: () => undefined, leader: () => undefined };

export function relayMetrics(metrics: Metrics | undefined): RelayMetrics {
  if (!metrics) return NOOP;
  const registers = [metrics.registry];
  // Several relays may share one registry (tests, benches): reuse instruments already registered.
  const existing = (name: string) => metrics.registry.getSingleMetric(name);
  const events =
    (existing('relay_events_total') as client.Counter<'event'> | undefined) ??
    new client.Counter({
      name: 'relay_events_total',
      help: 'Room events emitted by the change relay',
      labelNames: ['event'] as const,
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
  return {
    emitted: (event) => events.inc({ event }),
    failed: (stage) => failures.inc({ stage }),
    leader: (on) => leader.set(on ? 1 : 0),
  };
}
