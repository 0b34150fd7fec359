// Exactly one leader per cluster for a given key: the holder of a session-level PostgreSQL advisory lock on a
// dedicated session. A caller may make eligibility depend on something else (the relay: only while its LISTEN
// connection is up, since pg-listen 1.7.0 does not expose its client), so leadership ends whenever the leader
// can no longer do its job, or dies.
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Logger } from '../logger.ts';

export interface LeaderLockOptions {
  connectionString: string;
  ssl?: false | ConnectionOptions;
  logger: Logger;
  /** pg_try_advisory_lock key; advisory locks are per database. */
  lockKey: number;
  /** Standbys try the lock, and the leader proves its session alive, this often. Default 500 ms. */
  retryMs?: number;
  /** Shown in pg_stat_activity, so operators (and tests) can find the lock session. */
  applicationName?: string;
  /** Whether it may take the lock before setEligible is called. Default true. */
  eligible?: boolean;
}

export type LeadershipCallback = (leader: boolean) => void;

export class LeaderLock {
  private readonly log: Logger;
  private readonly callbacks = new Set<LeadershipCallback>();
  private readonly retryMs: number;
  private readonly lockKey: number;
  private client: pg.Client | null = null;
  private leader = false;
  private eligible: boolean;
  private running = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private step: Promise<void> | null = null;

  constructor(private readonly opts: LeaderLockOptions) {
    this.log = opts.logger.child({ module: 'leader-lock', lockKey: opts.lockKey });
    this.retryMs = opts.retryMs ?? 500;
    this.lockKey = opts.lockKey;
    this.eligible = opts.eligible ?? true;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Called with true on gaining and false on losing the lock. Returns an unsubscribe. */
  onLeadershipChange(cb: LeadershipCallback): () => void {
    this.callbacks.add(cb);
    return () => this.callbacks.delete(cb);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Whether this node may lead now; becoming ineligible gives the lock up at once. */
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
        // A failing heartbeat means the session (and with it the lock) may be gone: stop leading.
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
      application_name: this.opts.applicationName ?? `gw-lock:${this.lockKey}`,
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
    this.log.info(leader ? 'Lock taken: this node leads' : 'Lock lost or released: standing by');
    for (const cb of this.callbacks) {
      try {
        cb(leader);
      } catch (err) {
        this.log.error({ err }, 'Leadership callback threw');
      }
    }
  }
}
