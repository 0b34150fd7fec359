// The commitment a giveaway makes at create (draw protocol §1), with the beacon chosen by what this server can
// serve: drand when relays are configured, commit-reveal only otherwise.
import type * as db from 'zapatos/db';
import { AppError } from '../../platform/errors.ts';
import { createCommitment, type BeaconChoice, type Commitment } from './commitment.ts';

export class DrawCommitments {
  /** `hasBeacon`: whether drand relays are configured (DRAND_URLS). */
  constructor(private readonly hasBeacon: boolean) {}

  /**
   * Inside the giveaway's create transaction. Asking for drand without any relay is refused rather than
   * silently committing to less.
   */
  async create(
    tx: db.Queryable,
    giveawayId: string,
    options: { beacon?: BeaconChoice | undefined } = {},
  ): Promise<Commitment> {
    const beacon = options.beacon ?? (this.hasBeacon ? 'drand' : 'none');
    if (beacon === 'drand' && !this.hasBeacon) {
      throw new AppError(
        'UNSUPPORTED',
        'This server has no drand relays configured; create with beacon "none".',
        {
          fields: [{ field: 'beacon', message: 'drand is not configured on this server' }],
        },
      );
    }
    return createCommitment(tx, giveawayId, { beacon });
  }
}
