// Public surface of change propagation: the relay (PostgreSQL changes → room events), the per-node local relay
// (while Redis is away), their parts, and presence.
// The LISTEN connection and the leader lock it runs on live in platform/change-feed.
export { ChangeRelay, RELAY_LOCK_KEY, type ChangeRelayOptions } from './change-relay.ts';
export { LocalRelay, type LocalRelayOptions } from './local-relay.ts';
export { StatePublisher, type EventSink } from './state-publisher.ts';
export { RoomEmitter, type RoomEmitterOptions } from './room-emitter.ts';
export { WatcherPublisher, type WatcherPublisherOptions } from './watcher-publisher.ts';
export { diffState, eventsOf, type Baseline, type RoomEvent, type StateDiff } from './state-diff.ts';
export { relayMetrics, type EmitPath, type RelayMetrics } from './relay-metrics.ts';
export { Presence, type PresenceOptions, type WatcherSource } from './presence.ts';
export type { RealtimeServer } from './realtime-server.ts';
