// createClient(): one object holding the REST surface (grouped by capability), the lazily opened realtime
// connection, and the credential source both share.
import { CredentialSource, type AuthOption } from './auth.ts';
import { Http } from './http.ts';
import { apiKeysApi, exportsApi, templatesApi, usersApi } from './rest/account.ts';
import type { ApiKeysApi, ExportsApi, TemplatesApi, UsersApi } from './rest/account.ts';
import { channelsApi, type ChannelsApi } from './rest/channels.ts';
import { drawsApi, type DrawsApi } from './rest/draws.ts';
import { giveawaysApi, type GiveawaysApi } from './rest/giveaways.ts';
import { Connection, type ConnectionState } from './realtime/connection.ts';
import { joinOverSocket, type JoinOptions } from './realtime/join.ts';
import { Watch, type Subscription, type WatchHandlers } from './realtime/watch.ts';
import type { JoinResult } from './types.ts';

/**
 * Options of createClient.
 *
 * @example
 * const options: ClientOptions = { baseUrl: 'https://api.example.com', auth: { apiKey: 'gwk_…' } };
 */
export interface ClientOptions {
  /** Server root, e.g. `https://giveaways.example.com` (routes live under `/api/v1`). */
  baseUrl: string;
  /** Socket.IO server (the realtime port); defaults to `baseUrl`. */
  realtimeUrl?: string;
  /** Init-data, an API key, a function returning a fresh one, or nothing for a read-only viewer. */
  auth?: AuthOption;
  /** REST timeout, and the ack timeout of socket commands. Default 10 000 ms. */
  timeoutMs?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Socket.IO options: `path` (default `/socket.io`) and `transports` (default `['websocket']`). */
  realtime?: { path?: string; transports?: Array<'websocket' | 'polling'> };
}

/**
 * The client returned by createClient.
 *
 * @example
 * const client: GiveawayClient = createClient({ baseUrl });
 * const me = await client.users.me();
 */
export interface GiveawayClient {
  readonly giveaways: GiveawaysApi;
  readonly draws: DrawsApi;
  readonly exports: ExportsApi;
  readonly users: UsersApi;
  readonly apiKeys: ApiKeysApi;
  readonly templates: TemplatesApi;
  readonly channels: ChannelsApi;
  /**
   * Watches a giveaway over the socket; resubscribes and resyncs after reconnects and version gaps.
   * @example const sub = client.watch(id, { count: (e) => console.log(e.participants_count) });
   */
  watch(giveawayId: string, handlers?: WatchHandlers): Subscription;
  /**
   * Joins over the socket (ack + timeout + idempotency key; retried safely on lost answers).
   * @example const { status } = await client.join(id); // 'joined' | 'already_joined'
   */
  join(giveawayId: string, options?: JoinOptions): Promise<JoinResult>;
  /** The socket's state ('idle' until the first watch or join). @example if (client.connectionState === 'failed') relogin(); */
  readonly connectionState: ConnectionState;
  /** Listens to socket state changes; returns an unsubscribe function. @example client.onConnectionState(console.log) */
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
  /** Closes the socket and every watch. @example client.close() */
  close(): void;
}

/**
 * Creates a client for the giveaway server.
 *
 * @example
 * import { createClient } from '@giveaway/client-sdk';
 * const client = createClient({
 *   baseUrl: 'https://giveaways.example.com',
 *   realtimeUrl: 'https://realtime.giveaways.example.com',
 *   auth: () => ({ initData: Telegram.WebApp.initData }),
 * });
 * const giveaway = await client.giveaways.get(id);
 * client.watch(id, { count: (e) => console.log(e.participants_count) });
 */
export function createClient(options: ClientOptions): GiveawayClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const credentials = new CredentialSource(options.auth);
  const http = new Http(
    options.baseUrl,
    credentials,
    options.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs,
  );
  const conn = new Connection(
    {
      url: options.realtimeUrl ?? options.baseUrl,
      path: options.realtime?.path,
      transports: options.realtime?.transports,
    },
    credentials,
  );
  const watches = new Set<Watch>();
  return {
    giveaways: giveawaysApi(http),
    draws: drawsApi(http, credentials.anonymous),
    exports: exportsApi(http),
    users: usersApi(http),
    apiKeys: apiKeysApi(http),
    templates: templatesApi(http),
    channels: channelsApi(http, options.baseUrl),
    watch(giveawayId, handlers = {}) {
      const watch = new Watch(conn, giveawayId, handlers, timeoutMs, () => watches.delete(watch));
      watches.add(watch);
      return watch;
    },
    join: (giveawayId, joinOptions) => joinOverSocket(conn, giveawayId, timeoutMs, joinOptions),
    get connectionState() {
      return conn.state;
    },
    onConnectionState: (listener) => conn.onState(listener),
    close() {
      conn.close();
      for (const watch of watches) void watch.close();
    },
  };
}
