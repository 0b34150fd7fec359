// Reading a list being frozen in id ranges at once: each range on its own connection, in a read-only
// transaction that imports the close transaction's snapshot (pg_export_snapshot), so together they read exactly
// the list the close would have read itself, while PostgreSQL scans, sorts and encodes the ranges on several
// cores. The connections are this reader's own small pool: the close holds the giveaway's row lock while it
// waits for them, and joins queued behind that lock could otherwise hold every connection of the main pool.
import pg from 'pg';
import { beginSnapshotRead, copyEntrantRange, endSnapshotRead, type IdRange } from './entrants.queries.ts';
import type { EntrantImages } from './pg-binary-arrays.ts';

export class EntrantRangeReaders {
  private pool: pg.Pool | undefined;

  /** `parts`: ranges read at once (and connections kept for them). */
  constructor(
    private readonly source: pg.Pool,
    readonly parts = 4,
  ) {}

  /** The ranges' entrants, in the ranges' order, as the snapshot sees them. */
  read(giveawayId: string, snapshot: string, ranges: readonly IdRange[]): Promise<EntrantImages[]> {
    return Promise.all(ranges.map((range) => this.readOne(giveawayId, snapshot, range)));
  }

  async end(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private async readOne(giveawayId: string, snapshot: string, range: IdRange): Promise<EntrantImages> {
    const client = await this.connections().connect();
    let failed: Error | undefined;
    try {
      await beginSnapshotRead(client, snapshot);
      const images = await copyEntrantRange(client, giveawayId, range);
      await endSnapshotRead(client);
      return images;
    } catch (err) {
      failed = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      // A failed client may be mid-transaction or mid-COPY: release(err) closes it instead of pooling it.
      client.release(failed);
    }
  }

  private connections(): pg.Pool {
    if (!this.pool) {
      const { connectionString, ssl, host, port, user, password, database, application_name } =
        this.source.options;
      this.pool = new pg.Pool({
        ...{ connectionString, ssl, host, port, user, password, database, application_name },
        max: this.parts,
        idleTimeoutMillis: 30_000,
        connectionTimeoutMillis: 5_000,
        // Idle readers must not keep a process (a CLI, a test worker) alive.
        allowExitOnIdle: true,
      });
      // An idle reader ended by PostgreSQL (restart, a dropped database) is simply replaced.
      this.pool.on('error', () => undefined);
      this.pool.on('connect', (client) => client.on('error', () => undefined));
    }
    return this.pool;
  }
}

/**
 * [min, max] cut into `parts` ranges of equal id span, the first and last left open: every id is in exactly one
 * range whatever min and max were (they balance the work, they do not bound it).
 */
export function splitIdRange(min: bigint, max: bigint, parts: number): IdRange[] {
  if (!Number.isInteger(parts) || parts < 1) throw new Error('parts must be a positive integer');
  const span = max - min + 1n;
  const n = span <= 0n ? 1 : Math.min(parts, Number(span < BigInt(parts) ? span : BigInt(parts)));
  const cuts: bigint[] = [];
  for (let i = 1; i < n; i++) cuts.push(min + (span * BigInt(i)) / BigInt(n));
  return Array.from({ length: n }, (_, i) => ({
    from: i === 0 ? null : (cuts[i - 1] as bigint),
    to: i === n - 1 ? null : (cuts[i] as bigint),
  }));
}
