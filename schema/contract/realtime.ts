// The Socket.IO wire contract (protocol v1): commands with acks, server events, inter-server events and
// per-socket data. docs/realtime.md describes the same protocol in prose.
import { z } from 'zod';
import type { ErrorCode, ErrorPayload } from './errors.ts';
import type { GiveawayStatus, GiveawayView } from './giveaways.ts';

export const REALTIME_PROTOCOL_VERSION = 1;

export const SubscribePayload = z.object({ giveaway_id: z.uuid() }).strict();
export const JoinPayload = z
  .object({ giveaway_id: z.uuid(), idempotency_key: z.string().min(1).max(64).optional() })
  .strict();

/** Fresh Telegram init-data for the same user, presented before (or after) the socket's one expires. */
export const AuthRefreshPayload = z.object({ init_data: z.string().min(1).max(8192) }).strict();

export type SubscribePayload = z.infer<typeof SubscribePayload>;
export type AuthRefreshPayload = z.infer<typeof AuthRefreshPayload>;
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
  /** Init-data sockets only, same user: extends the socket's right to act to the new init-data's expiry. */
  'auth:refresh': (payload: AuthRefreshPayload, ack: (res: Ack<{ expires_at: string }>) => void) => void;
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
/**
 * A place changed hands after the draw: a reroll (any reason), or its claim deadline passed. `user_id` null: no
 * reserve was left and the place stays empty.
 */
export interface WinnerChangedEvent extends Versioned {
  place: number;
  previous_user_id: number;
  user_id: number | null;
  reason: string;
}
/** The holder of a place claimed it within its claim window. */
export interface ClaimedEvent extends Versioned {
  place: number;
  user_id: number;
}
/** Presence, not state: its version only orders it and never advances the client's state version. */
export interface WatchersEvent {
  giveaway_id: string;
  version: number;
  watchers: number;
}

/** Why a session ended or stopped acting: USER_BANNED, API_KEY_INVALID (revoked) or INIT_DATA_EXPIRED. */
export interface SessionEvent {
  code: Extract<ErrorCode, 'USER_BANNED' | 'API_KEY_INVALID' | 'INIT_DATA_EXPIRED'>;
  reason: string;
}

export interface ServerToClientEvents {
  /** The init-data expires at `expires_at` (ISO 8601): send `auth:refresh` with fresh init-data before then. */
  'session:expiring': (event: { expires_at: string }) => void;
  /** The init-data expired: joins are refused (INIT_DATA_EXPIRED) until `auth:refresh`; watching goes on. */
  'session:expired': (event: SessionEvent) => void;
  /** The principal was banned or its API key revoked: the server disconnects right after this event. */
  'session:ended': (event: SessionEvent) => void;
  /** Volatile and coalesced: at most ~10 per second per giveaway. */
  'giveaway:count': (event: CountEvent) => void;
  'giveaway:status': (event: StatusEvent) => void;
  'giveaway:drawn': (event: DrawnEvent) => void;
  'giveaway:updated': (event: UpdatedEvent) => void;
  'giveaway:rerolled': (event: RerolledEvent) => void;
  'giveaway:winner_changed': (event: WinnerChangedEvent) => void;
  'giveaway:claimed': (event: ClaimedEvent) => void;
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
  /** The key the socket authenticated with (via = 'api-key'). */
  apiKeyId: string | null;
  /** When the socket's init-data expires, epoch ms (via = 'init-data'); it may not act from then on. */
  expiresAt: number | null;
}

export const roomOf = (giveawayId: string) => `giveaway:${giveawayId}`;
