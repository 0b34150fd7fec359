// The Socket.IO wire contract (protocol v1): commands with acks, server events, inter-server events and
// per-socket data. docs/realtime.md describes the same protocol in prose.
import { z } from 'zod';
import type { ErrorPayload } from './errors.ts';
import type { GiveawayStatus, GiveawayView } from './giveaways.ts';

export const REALTIME_PROTOCOL_VERSION = 1;

export const SubscribePayload = z.object({ giveaway_id: z.uuid() }).strict();
export const JoinPayload = z
  .object({ giveaway_id: z.uuid(), idempotency_key: z.string().min(1).max(64).optional() })
  .strict();

export type SubscribePayload = z.infer<typeof SubscribePayload>;
export type JoinPayload = z.infer<typeof JoinPayload>;

export type AckOk<T extends object = object> = { ok: true } & T;
export type AckError = { ok: false; error: ErrorPayload };
export type Ack<T extends object = object> = AckOk<T> | AckError;

/** The public giveaway view (as REST, without caller-specific fields) plus its version. */
export type GiveawaySnapshot = Omit<GiveawayView, 'user_role' | 'can_edit' | 'msg_id' | 'user_tickets'>;

export interface ClientToServerEvents {
  'giveaway:subscribe': (
    payload: SubscribePayload,
    ack: (res: Ack<{ snapshot: GiveawaySnapshot }>) => void,
  ) => void;
  'giveaway:unsubscribe': (payload: SubscribePayload, ack: (res: Ack) => void) => void;
  'giveaway:join': (
    payload: JoinPayload,
    ack: (res: Ack<{ status: 'joined' | 'already_joined' }>) => void,
  ) => void;
}

interface Versioned {
  giveaway_id: string;
  /** The giveaway's version after the change; it grows with every change, and coalescing skips some. */
  version: number;
  /**
   * The version of the previous event sent for this giveaway. A client holding an older version than
   * `since` missed an event and resubscribes; absent after a relay takeover (treat a jump as a gap).
   */
  since?: number;
}

export interface CountEvent extends Versioned {
  participants_count: number;
}
export interface StatusEvent extends Versioned {
  status: GiveawayStatus;
}
export interface DrawnWinner {
  place: number;
  user_id: number;
  username?: string;
  prizes: Array<{ title: string; description: string; quantity: number }>;
}
export interface DrawnEvent extends Versioned {
  winners: DrawnWinner[];
  proof: { seed_commitment: string | null; entrants_root: string | null; entrants_count: number };
}
/** Something a viewer reads changed (title, prizes, rules): fetch a fresh snapshot (subscribe again). */
export type UpdatedEvent = Versioned;
/** A winner's place was given to someone else (draw protocol §4 reroll). */
export interface RerolledEvent extends Versioned {
  place: number;
  replaced_user_id: number;
  by_user_id: number;
  reason: string;
}
/** Presence, not state: its version only orders it and never advances the client's state version. */
export interface WatchersEvent {
  giveaway_id: string;
  version: number;
  watchers: number;
}

export interface ServerToClientEvents {
  /** Volatile and coalesced: at most ~10 per second per giveaway. */
  'giveaway:count': (event: CountEvent) => void;
  'giveaway:status': (event: StatusEvent) => void;
  'giveaway:drawn': (event: DrawnEvent) => void;
  'giveaway:updated': (event: UpdatedEvent) => void;
  'giveaway:rerolled': (event: RerolledEvent) => void;
  /** Viewers across all nodes, coalesced (about once a second at most). */
  'giveaway:watchers': (event: WatchersEvent) => void;
}

// Nodes talk through the adapter's own protocol only; no custom inter-server events on hot paths.
export type InterServerEvents = Record<string, never>;

export interface SocketData {
  /** null for read-only viewers (no init-data or API key in the handshake). */
  userId: number | null;
  isAdmin: boolean;
  isBanned: boolean;
  via: 'init-data' | 'api-key' | 'viewer';
}

export const roomOf = (giveawayId: string) => `giveaway:${giveawayId}`;
