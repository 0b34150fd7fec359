// The one Socket.IO connection of a client: handshake credentials fetched afresh on every (re)connect, a
// refused credential replaced through the auth function (never retried as is), commands with ack + timeout,
// and server events routed to the watches of their giveaway.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ErrorPayload, ServerToClientEvents } from '../contract.ts';
import type { Credential, CredentialSource } from '../auth.ts';
import { CREDENTIAL_CODES, GiveawayError } from '../errors.ts';

/**
 * The socket's state. `failed` means the server refused the credential and no fresh one was available: the
 * SDK stops rather than loop; `closed` follows `client.close()`.
 *
 * @example
 * client.onConnectionState((state) => (banner.hidden = state === 'connected'));
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

type ServerEvents = ServerToClientEvents;
export type EventKind =
  'count' | 'status' | 'drawn' | 'rerolled' | 'winner_changed' | 'claimed' | 'updated' | 'watchers';
type Route = (kind: EventKind, payload: { giveaway_id: string; version: number }) => void;

const EVENTS: readonly EventKind[] = [
  'count',
  'status',
  'drawn',
  'rerolled',
  'winner_changed',
  'claimed',
  'updated',
  'watchers',
];
const unavailable = (message: string) => new GiveawayError(message, { code: 'UNAVAILABLE', status: 0 });

export interface ConnectionOptions {
  url: string;
  path?: string | undefined;
  transports?: Array<'websocket' | 'polling'> | undefined;
}

export class Connection {
  state: ConnectionState = 'idle';
  lastError: GiveawayError | null = null;
  private socket: Socket<ServerEvents, ClientToServerEvents> | null = null;
  private readonly routes = new Map<string, Set<Route>>();
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private handshake: Credential | null = null;
  private pending: Credential | null = null;
  private refusals = 0;
  /** The server ended the session (ban, revoked key): never reconnect on our own. */
  private ended = false;
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly credentials: CredentialSource,
  ) {}

  /** Starts connecting on first use. */
  open(): void {
    if (this.socket && this.state === 'failed' && !this.ended) {
      // A new watch or command after a refusal: try once more with whatever the auth option gives now.
      this.refusals = 0;
      this.set('connecting');
      this.socket.connect();
    }
    if (this.socket || this.state === 'closed') return;
    const socket: Socket<ServerEvents, ClientToServerEvents> = io(this.opts.url, {
      path: this.opts.path ?? '/socket.io',
      transports: this.opts.transports ?? ['websocket'],
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      // Called on every (re)connect: the credential is fetched afresh each time.
      auth: (cb) => void this.credential().then((c) => cb(c ?? {})),
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.refusals = 0;
      this.set('connected');
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      if (this.ended) return this.set('failed');
      this.set('reconnecting');
      // The server closed us on purpose (a restart, a drain): the manager does not retry that, we do.
      if (reason === 'io server disconnect') setTimeout(() => this.reconnect(), 500 + Math.random() * 1_500);
    });
    socket.on('connect_error', (err) => {
      if (socket.active) return this.set('reconnecting');
      const data = (err as { data?: Partial<ErrorPayload> }).data;
      void this.refused(
        new GiveawayError(data?.message ?? err.message, { code: data?.code ?? 'UNAUTHORIZED' }),
      );
    });
    // Init-data is about to expire (or did): fetch fresh init-data from the auth function and present it.
    socket.on('session:expiring', () => void this.refreshSession());
    socket.on('session:expired', (e) => {
      this.lastError = new GiveawayError(e.reason, { code: e.code });
      void this.refreshSession();
    });
    socket.on('session:ended', (e) => {
      this.ended = true;
      this.lastError = new GiveawayError(e.reason, { code: e.code });
    });
    for (const kind of EVENTS) {
      socket.on(`giveaway:${kind}`, (payload: { giveaway_id: string; version: number }) => {
        for (const route of this.routes.get(payload.giveaway_id) ?? []) route(kind, payload);
      });
    }
    this.set('connecting');
    socket.connect();
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  route(giveawayId: string, route: Route): () => boolean {
    const set = this.routes.get(giveawayId) ?? new Set();
    this.routes.set(giveawayId, set.add(route));
    return () => {
      set.delete(route);
      if (set.size === 0) this.routes.delete(giveawayId);
      return set.size === 0;
    };
  }

  /** Sends a command once connected and resolves with its successful ack; rejects with a GiveawayError. */
  async command<T extends object>(
    event: keyof ClientToServerEvents,
    payload: object,
    timeoutMs: number,
  ): Promise<T> {
    this.open();
    await this.connected(timeoutMs);
    const socket = this.socket as unknown as Socket;
    return new Promise<T>((resolve, reject) => {
      const finish = (err: GiveawayError | null, ack?: Ack<T>) => {
        clearTimeout(timer);
        socket.off('disconnect', lost);
        if (err) return reject(err);
        if (ack?.ok) return resolve(ack);
        const e = ack?.error;
        reject(
          new GiveawayError(e?.message ?? 'Malformed ack', {
            code: e?.code ?? 'INTERNAL',
            retryAfter: e?.retry_after,
            details: e?.details,
          }),
        );
      };
      const lost = () => finish(unavailable(`${event}: connection lost before the answer`));
      const timer = setTimeout(
        () => finish(unavailable(`${event}: no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once('disconnect', lost);
      socket.emit(event, payload, (ack: Ack<T>) => finish(null, ack));
    });
  }

  /**
   * Sends fresh init-data (from the auth function) over the open socket with `auth:refresh`, so an init-data
   * session goes on past its expiry without reconnecting. Resolves true when the server accepted it.
   */
  refreshSession(): Promise<boolean> {
    const socket = this.socket;
    if (
      !socket?.connected ||
      !this.credentials.refreshable ||
      !this.handshake ||
      !('initData' in this.handshake)
    )
      return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const next = await this.credentials.fresh();
        if (!next || !('initData' in next)) return false;
        const ack = (await socket
          .timeout(10_000)
          .emitWithAck('auth:refresh', { init_data: next.initData })) as Ack<{ expires_at: string }>;
        if (!ack.ok) {
          this.lastError = new GiveawayError(ack.error.message, { code: ack.error.code });
          return false;
        }
        this.handshake = next;
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  close(): void {
    this.set('closed');
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.routes.clear();
    this.listeners.clear();
  }

  private connected(timeoutMs: number): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (state: ConnectionState) => {
        if (state === 'connected') done(null);
        else if (state === 'failed' || state === 'closed')
          done(this.lastError ?? unavailable(`connection ${state}`));
      };
      const done = (err: GiveawayError | null) => {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve();
      };
      const off = this.onState(check);
      const timer = setTimeout(() => done(unavailable(`not connected within ${timeoutMs} ms`)), timeoutMs);
      check(this.state);
    });
  }

  private async credential(): Promise<Credential | null> {
    const given = this.pending;
    this.pending = null;
    try {
      this.handshake = given ?? (await this.credentials.fresh());
    } catch (err) {
      this.lastError = new GiveawayError(`auth function failed: ${String(err)}`, {
        code: 'UNAUTHORIZED',
        cause: err,
      });
      this.handshake = null;
    }
    return this.handshake;
  }

  /** The server refused the handshake: try a different credential a few times, then stop in `failed`. */
  private async refused(error: GiveawayError): Promise<void> {
    this.lastError = error;
    const next =
      CREDENTIAL_CODES.has(error.code) && ++this.refusals <= 5
        ? await this.credentials.replace(this.handshake)
        : null;
    if (!next) return this.set('failed');
    this.pending = next;
    this.set('reconnecting');
    setTimeout(() => this.reconnect(), this.refusals === 1 ? 0 : 1_000 * this.refusals);
  }

  private reconnect(): void {
    if (this.state !== 'closed' && this.socket && !this.socket.connected) this.socket.connect();
  }

  private set(state: ConnectionState): void {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
