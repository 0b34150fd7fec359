// Public surface of change propagation: the relay (PostgreSQL changes → room events), its parts, and presence.
export { ChangeRelay, type ChangeRelayOptions, type ChangeCallback } from './change-relay.ts';
export {
  ChangeListener,
  CHANGE_CHANNEL,
  type ChangeListenerOptions,
  type ChangeNotification,
  type ChangeOp,
} from './change-listener.ts';
export { Leadership, RELAY_LOCK_KEY, type LeadershipOptions } from './leadership.ts';
export { Presence, type PresenceOptions, type WatcherSource } from './presence.ts';
export type { RealtimeServer } from './realtime-server.ts';
