// What the giveaways service needs from other capabilities, as narrow interfaces (their services satisfy them).
import type * as db from 'zapatos/db';
import type { RequirementItemInput, RequirementView } from '../../schema/contract/requirements.ts';
import type { Principal } from '../auth/index.ts';

export interface RequirementsPort<TRow = unknown> {
  prepareForCreate(input: readonly RequirementItemInput[], ctx: { creatorId: number }): Promise<object[]>;
  insertForGiveaway(tx: db.Queryable, giveawayId: string, rows: readonly object[]): Promise<unknown>;
  copyForGiveaway(tx: db.Queryable, fromId: string, toId: string): Promise<void>;
  listForGiveaways(client: db.Queryable, giveawayIds: readonly string[]): Promise<Map<string, TRow[]>>;
  toView(row: TRow): RequirementView;
}

export interface DrawsPort {
  /** `beacon` undefined: the server's default (drand when relays are configured). */
  createCommitment(
    tx: db.Queryable,
    giveawayId: string,
    options?: { beacon?: 'drand' | 'none' | undefined },
  ): Promise<unknown>;
  finalizeManual(principal: Pick<Principal, 'userId' | 'isAdmin'>, giveawayId: string): Promise<unknown>;
}
