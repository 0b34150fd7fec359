// Exactly one active relay per cluster: the holder of a session-level PostgreSQL advisory lock. The lock lives
// on a dedicated session that only exists while this node's LISTEN connection is up (pg-listen 1.7.0 does
// not expose its client), so leadership ends whenever the leader can no longer hear changes or dies.
import { EventEmitter } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Logger } from '../platform/logger.ts';

/** pg_try_advisory_lock key of the relay ('gw' 0x6777, role 1). Advisory locks are per database. */
export const RELAY_LOCK_KEY = 0x6777_0001;

export interface LeadershipOptions {
  connectionString: string;
  ssl?: false | ConnectionOptions;
  logger: Logger;
  lockKey?: number;
  /** Standbys try the lock, and the leader proves its session alive, this often. Default 500 ms. */
  retryMs?: number;
  applicationName?: string;
}

interface LeadershipEvents {
  leader: [];
  standby: [];
}

export class Leadership extends EventEmitter<LeadershipEvents> {
  private readonly log: Logger;
  private readonly retryMs: number;
  private readonly lockKey: number;
  private client: pg.Client | null = null;
  private leader = false;
  private eligible = false;
  private running = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private step: Promise<void> | null = null;

  constructor(private readonly opts: LeadershipOptions) {
    super();
    this.log = opts.logger.child({ module: 'relay-leadership' });
    this.retryMs = opts.retryMs ?? 500;
    this.lockKey = opts.lockKey ?? RELAY_LOCK_KEY;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Only a node whose LISTEN connection is up may lead; losing it gives the lock up at once. */
  setEligible(eligible: boolean): void {
    this.eligible = eligible;
    if (!eligible) this.dropSession();
    else if (this.running && !this.step) this.schedule(0);
  }

  /** Releases the lock explicitly (a standby takes over on its next try) and closes the session. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.step;
    const client = this.client;
    if (client && this.leader) {
      await client.query('SELECT pg_advisory_unlock($1)', [this.lockKey]).catch(() => undefined);
    }
    this.dropSession();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.step = this.attempt().finally(() => {
        this.step = null;
        const backoff = this.failures > 0 ? Math.min(this.retryMs * 2 ** this.failures, 5_000) : this.retryMs;
        this.schedule(backoff);
      });
    }, delayMs);
  }

  private async attempt(): Promise<void> {
    if (!this.eligible) return;
    try {
      const client = this.client ?? (await this.connect());
      if (this.leader) {
        // A failing heartbeat means the session (and with it the lock) may be gone: stop emitting.
        await client.query('SELECT 1');
      } else {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked',
          [this.lockKey],
        );
        // The session may have been dropped while we waited (listener lost): a stale answer is no lock.
        if (rows[0]?.locked && client === this.client && this.eligible) this.setLeader(true);
      }
      this.failures = 0;
    } catch (err) {
      if (this.failures++ === 0) this.log.warn({ err: (err as Error).message }, 'Leadership session failed');
      this.dropSession();
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      ssl: this.opts.ssl,
      application_name: this.opts.applicationName ?? 'giveaway-relay-lock',
      connectionTimeoutMillis: 5_000,
      query_timeout: 2_000,
      keepAlive: true,
    });
    // Session end (pg_terminate_backend, restart) releases the lock server-side: mirror it at once.
    const lost = () => {
      if (this.client === client) this.dropSession();
    };
    client.on('error', lost);
    client.on('end', lost);
    this.client = client;
    try {
      await client.connect();
    } catch (err) {
      if (this.client === client) this.client = null;
      throw err;
    }
    // A half-open leader session (partition, frozen node) would keep the lock until the server's TCP
    // keepalive notices (hours by default); an idle timeout bounds it. PostgreSQL < 14 lacks the setting.
    await client.query(`SET idle_session_timeout = '10s'`).catch(() => undefined);
    return client;
  }

  private dropSession(): void {
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
    }
    this.setLeader(false);
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.log.info(leader ? 'This node now relays changes (leader)' : 'Relay standing by');
    this.emit(leader ? 'leader' : 'standby');
  }
}
