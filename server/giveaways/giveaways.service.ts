// Rules and transactions of giveaways: create, read, list, edit, cancel, delete, recreate, status changes,
// tickets. Ownership is checked here, for every transport. Joining lives in server/joins, drawing in server/draws.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';
import type pg from 'pg';
import type {
  CreateGiveawayBody,
  GiveawayStatus,
  GiveawayView,
  ListQuery,
  PrizeInput,
  UpdateGiveawayBody,
} from '../../schema/contract/index.ts';
import type { Principal } from '../auth/index.ts';
import { assertNotBanned } from '../auth/index.ts';
import { AppError } from '../platform/errors.ts';
import type { DrawsPort, RequirementsPort } from './collaborators.ts';
import {
  toGiveawayView,
  toVacantPlaceViews,
  toWinnerViews,
  userRoleOf,
  type SponsorAvatarUrl,
} from './giveaway-view.ts';
import * as q from './giveaways.queries.ts';
import { CANCEL_MAX_PARTICIPANTS, CANCEL_WINDOW_MS, EDIT_WINDOW_MS, assertTransition } from './lifecycle.ts';
import { decodeCursor, encodeCursor } from './list-cursor.ts';

export interface GiveawaysServiceDeps {
  pool: pg.Pool;
  requirements: RequirementsPort;
  draws: DrawsPort;
  /** DEBUG mode allows 5 s giveaways (legacy behaviour) instead of 5 minutes. */
  debug: boolean;
  /** Fills `sponsors[].avatar_url` (the Mini App shows a placeholder for an empty one). */
  sponsorAvatarUrl?: SponsorAvatarUrl;
  /** How far ahead `starts_at` may be (GIVEAWAY_START_HORIZON_DAYS); default one year. */
  startHorizonDays?: number;
}

export type ListKind =
  | 'top'
  | 'me/all'
  | 'me/active'
  | 'me/history'
  | 'me/participated'
  | 'me/participation/history'
  | 'creator'
  | 'creator/finished';

const LIVE: s.giveaway_status[] = ['scheduled', 'active', 'drawing', 'pending'];
const FINISHED: s.giveaway_status[] = ['completed', 'cancelled'];
const MAX_DURATION_S = 60 * 24 * 3600;

export class GiveawaysService {
  constructor(private readonly deps: GiveawaysServiceDeps) {}

  async create(principal: Principal, body: CreateGiveawayBody) {
    assertNotBanned(principal);
    const minDuration = this.deps.debug ? 5 : 300;
    if (body.duration < minDuration || body.duration > MAX_DURATION_S) {
      throw new AppError(
        'VALIDATION',
        `Invalid duration: must be between ${minDuration} and ${MAX_DURATION_S} seconds`,
        {
          fields: [{ field: 'duration', message: `must be between ${minDuration} and ${MAX_DURATION_S}` }],
        },
      );
    }
    const maxParticipants = body.max_participants ?? 0;
    if (maxParticipants !== 0 && maxParticipants < body.winners_count) {
      throw invalid('max_participants', 'must be 0 (no limit) or at least winners_count');
    }
    const sponsorIds = uniqueSponsors(body.sponsors ?? []);
    const requirements = await this.deps.requirements.prepareForCreate(body.requirements ?? [], {
      creatorId: principal.userId,
    });
    const now = Date.now();
    const startsAt = body.starts_at ? Date.parse(body.starts_at) : now;
    // A start centuries away is no giveaway, and one past year 9999 cannot even be stored: bound it first.
    const horizonDays = this.deps.startHorizonDays ?? 365;
    if (startsAt > now + horizonDays * 86_400_000) {
      throw invalid('starts_at', `must be within ${horizonDays} days from now`);
    }
    const scheduled = startsAt > now + 1000;
    const startedAt = new Date(scheduled ? startsAt : now);
    const id = await db.readCommitted(this.deps.pool, async (tx) => {
      const row = await q.insertGiveaway(tx, {
        creator_id: principal.userId,
        title: body.title,
        description: body.description ?? '',
        status: scheduled ? 'scheduled' : 'active',
        started_at: startedAt,
        ends_at: new Date(startedAt.getTime() + body.duration * 1000),
        duration: body.duration,
        winners_count: body.winners_count,
        reserves_count: body.reserves_count ?? 0,
        max_participants: maxParticipants,
        allow_tickets: body.allow_tickets ?? false,
        claim_window: body.claim_window ?? null,
      });
      await q.replacePrizes(
        tx,
        row.id,
        toPrizeRows(body.prizes ?? [], body.prize_mode ?? 'pooled', body.winners_count),
      );
      await this.attachSponsors(tx, principal.userId, row.id, sponsorIds);
      await this.deps.requirements.insertForGiveaway(tx, row.id, requirements);
      await this.deps.draws.createCommitment(tx, row.id, { beacon: body.beacon });
      return row.id;
    });
    return this.get(principal, id);
  }

  async get(principal: Principal | undefined, id: string): Promise<GiveawayView> {
    const row = await q.selectGiveawayView(this.deps.pool, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
    const completed = row.status === 'completed';
    const [requirements, winners, vacant, relation] = await Promise.all([
      this.deps.requirements.listForGiveaways(this.deps.pool, [id]),
      // Winners are public once the result is final (the Mini App shows them to everyone).
      completed ? q.selectWinners(this.deps.pool, id) : Promise.resolve([]),
      completed ? q.selectVacantPlaces(this.deps.pool, id) : Promise.resolve([]),
      principal ? q.selectCallerRelation(this.deps.pool, id, principal.userId) : undefined,
    ]);
    const view = toGiveawayView(
      row,
      (requirements.get(id) ?? []).map((r) => this.deps.requirements.toView(r)),
      toWinnerViews(winners),
      this.deps.sponsorAvatarUrl,
      toVacantPlaceViews(vacant),
    );
    if (!principal || !relation) return view;
    const isOwner = Number(row.creator_id) === principal.userId;
    return {
      ...view,
      user_role: userRoleOf(isOwner, relation),
      can_edit: isOwner && isEditable(row.status, row.started_at),
      ...(isOwner || principal.isAdmin ? { msg_id: row.msg_id } : {}),
      user_tickets: relation.tickets,
    };
  }

  async list(principal: Principal, kind: ListKind, query: ListQuery, creatorId?: number) {
    const filters: Record<ListKind, () => [db.SQLFragment, q.ListOrder]> = {
      top: () => [q.where.top(query.min_participants ?? 0), 'top'],
      'me/all': () => [q.where.creator(principal.userId), 'newest'],
      'me/active': () => [q.where.creator(principal.userId, LIVE), 'newest'],
      'me/history': () => [q.where.creator(principal.userId, FINISHED), 'newest'],
      'me/participated': () => [q.where.participant(principal.userId, LIVE), 'newest'],
      'me/participation/history': () => [q.where.participant(principal.userId, FINISHED), 'newest'],
      creator: () => [q.where.creator(creatorId ?? 0), 'newest'],
      'creator/finished': () => [q.where.creator(creatorId ?? 0, ['completed']), 'ended'],
    };
    const [where, order] = filters[kind]();
    const limit = query.limit ?? (kind === 'top' ? 20 : 100);
    const page = await q.selectGiveawayPage(this.deps.pool, where, order, {
      limit,
      offset: query.offset ?? 0,
      after: decodeCursor(query.cursor, order),
    });
    const requirements = await this.deps.requirements.listForGiveaways(
      this.deps.pool,
      page.rows.map((r) => r.id),
    );
    const items = page.rows.map((row) =>
      toGiveawayView(
        row,
        (requirements.get(row.id) ?? []).map((r) => this.deps.requirements.toView(r)),
        [],
        this.deps.sponsorAvatarUrl,
      ),
    );
    const last = page.rows.at(-1);
    const nextCursor =
      page.hasMore && last
        ? encodeCursor({
            a:
              order === 'top'
                ? last.participants_count
                : new Date(order === 'ended' ? last.ends_at : last.created_at).toISOString(),
            b: new Date(order === 'ended' ? last.ends_at : last.created_at).toISOString(),
            c: last.id,
          })
        : undefined;
    return { items, nextCursor };
  }

  async update(principal: Principal, id: string, body: UpdateGiveawayBody) {
    assertNotBanned(principal);
    await db.readCommitted(this.deps.pool, async (tx) => {
      const row = await this.ownedForUpdate(tx, principal, id);
      if (!isEditable(row.status, row.started_at)) {
        throw new AppError(
          'CONFLICT',
          'A giveaway can only be edited in the first 5 minutes after it starts.',
        );
      }
      const fields: { title?: string; description?: string; claim_window?: number | null } = {};
      if (body.title !== undefined) fields.title = body.title;
      if (body.description !== undefined) fields.description = body.description;
      if (body.claim_window !== undefined) fields.claim_window = body.claim_window;
      if (Object.keys(fields).length > 0) await q.updateGiveawayFields(tx, id, fields);
      if (body.prizes) {
        await q.replacePrizes(
          tx,
          id,
          toPrizeRows(body.prizes, body.prize_mode ?? 'pooled', row.winners_count),
        );
      }
      if (body.sponsors) await this.attachSponsors(tx, principal.userId, id, uniqueSponsors(body.sponsors));
      // Prizes and sponsors live in other tables: bump content_version so watchers refetch (giveaway:updated).
      if (body.prizes || body.sponsors) await q.bumpContentVersion(tx, id);
    });
    return this.get(principal, id);
  }

  async cancel(principal: Principal, id: string) {
    assertNotBanned(principal);
    await db.readCommitted(this.deps.pool, async (tx) => {
      const row = await this.ownedForUpdate(tx, principal, id);
      assertTransition(row.status, 'cancelled', 'owner');
      if (row.status === 'active') {
        if (Date.now() - new Date(row.started_at).getTime() > CANCEL_WINDOW_MS) {
          throw new AppError('CONFLICT', 'A giveaway can only be cancelled in the first 5 minutes.');
        }
        if (row.participants_count > CANCEL_MAX_PARTICIPANTS) {
          throw new AppError(
            'CONFLICT',
            `A giveaway with more than ${CANCEL_MAX_PARTICIPANTS} participants cannot be cancelled.`,
          );
        }
      }
      await q.updateGiveawayFields(tx, id, { status: 'cancelled', finished_at: new Date() });
    });
    return this.get(principal, id);
  }

  async setStatus(principal: Principal, id: string, status: GiveawayStatus) {
    const row = await q.selectGiveaway(this.deps.pool, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
    assertOwner(principal, row);
    assertTransition(row.status, status, 'owner');
    if (status === 'cancelled') return this.cancel(principal, id);
    if (status === 'completed') await this.deps.draws.finalizeManual(principal, id);
    if (status === 'active') {
      await db.readCommitted(this.deps.pool, async (tx) => {
        const locked = await this.ownedForUpdate(tx, principal, id);
        assertTransition(locked.status, 'active', 'owner');
        // Starting a scheduled giveaway early keeps its duration.
        await db.sql`UPDATE ${'giveaways'} SET ${'status'} = 'active', ${'started_at'} = now(),
          ${'ends_at'} = now() + ${'duration'} * interval '1 second' WHERE ${'id'} = ${db.param(id)}`.run(tx);
      });
    }
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const row = await q.selectGiveaway(this.deps.pool, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
    assertOwner(principal, row);
    await q.deleteGiveaway(this.deps.pool, id);
  }

  async recreate(principal: Principal, id: string) {
    assertNotBanned(principal);
    const row = await q.selectGiveaway(this.deps.pool, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
    assertOwner(principal, row);
    if (row.status !== 'completed' && row.status !== 'cancelled') {
      throw new AppError('CONFLICT', 'Only a finished giveaway can be recreated.');
    }
    const newId = await db.readCommitted(this.deps.pool, async (tx) => {
      const now = new Date();
      const copy = await q.insertGiveaway(tx, {
        creator_id: Number(row.creator_id),
        title: row.title,
        description: row.description,
        status: 'active',
        started_at: now,
        ends_at: new Date(now.getTime() + row.duration * 1000),
        duration: row.duration,
        winners_count: row.winners_count,
        reserves_count: row.reserves_count,
        max_participants: row.max_participants,
        allow_tickets: row.allow_tickets,
        claim_window: row.claim_window,
        recreated_from: row.id,
      });
      const prizes = await q.selectPrizes(tx, id);
      await q.replacePrizes(
        tx,
        copy.id,
        prizes.map((p) => ({
          place: p.place,
          title: p.title,
          description: p.description,
          quantity: p.quantity,
        })),
      );
      await q.replaceSponsors(tx, copy.id, await q.selectSponsorIds(tx, id));
      await this.deps.requirements.copyForGiveaway(tx, id, copy.id);
      await this.deps.draws.createCommitment(tx, copy.id);
      return copy.id;
    });
    return this.get(principal, newId);
  }

  async addTickets(principal: Principal, id: string, userId: number, count: number) {
    if (!principal.isAdmin) throw new AppError('FORBIDDEN', 'Only admins can grant tickets.');
    return db.readCommitted(this.deps.pool, async (tx) => {
      const row = await q.selectGiveaway(tx, id, true);
      if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
      if (!row.allow_tickets) throw new AppError('CONFLICT', 'This giveaway does not allow tickets.');
      if (row.status !== 'active' && row.status !== 'scheduled') {
        throw new AppError('GIVEAWAY_CLOSED', 'Tickets can only be granted before the giveaway closes.');
      }
      if (!(await q.isParticipant(tx, id, userId)))
        throw new AppError('CONFLICT', 'The user is not a participant.');
      const total = await q.addTickets(tx, id, userId, count);
      return { giveaway_id: id, user_id: userId, tickets: total, weight: 1 + total };
    });
  }

  /** Ownership for other capabilities (exports, notifications): the row, or NOT_FOUND / FORBIDDEN. */
  async requireOwned(principal: Principal, id: string) {
    const row = await q.selectGiveaway(this.deps.pool, id);
    if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
    assertOwner(principal, row);
    return row;
  }

  private async ownedForUpdate(tx: db.Queryable, principal: Principal, id: string) {
    const row = await q.selectGiveaway(tx, id, true);
    if (!row) throw new AppError('NOT_FOUND', 'No such giveaway.');
    assertOwner(principal, row);
    return row;
  }

  private async attachSponsors(tx: db.Queryable, userId: number, giveawayId: string, sponsorIds: number[]) {
    const allowed = new Set(await q.upsertSponsorsFromAdministeredChannels(tx, userId, sponsorIds));
    const foreign = sponsorIds.filter((sid) => !allowed.has(sid));
    if (foreign.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        `Sponsor channels must be channels you administer with the bot added: ${foreign.join(', ')}`,
        { channel_ids: foreign },
      );
    }
    await q.replaceSponsors(tx, giveawayId, sponsorIds);
  }
}

function assertOwner(principal: Principal, row: { creator_id: string | number }): void {
  if (Number(row.creator_id) !== principal.userId && !principal.isAdmin) {
    throw new AppError('FORBIDDEN', 'Only the creator can do this.');
  }
}

function isEditable(status: s.giveaway_status, startedAt: string | Date): boolean {
  return (
    (status === 'active' || status === 'scheduled') &&
    Date.now() - new Date(startedAt).getTime() < EDIT_WINDOW_MS
  );
}

function uniqueSponsors(sponsors: Array<{ id: number }>): number[] {
  const ids = sponsors.map((sp) => sp.id);
  if (new Set(ids).size !== ids.length) throw invalid('sponsors', 'must not contain the same channel twice');
  return ids;
}

/**
 * The Mini App sends `place` as the prize's list position, not a rank (mini-app-api §3.5), so by default
 * prizes are pooled (spread over all winners). `prize_mode: 'ranked'` makes `place` a winner rank.
 */
function toPrizeRows(prizes: PrizeInput[], mode: 'pooled' | 'ranked', winnersCount: number): q.NewPrize[] {
  return prizes.map((p, i) => {
    const place = mode === 'ranked' ? (p.place ?? null) : null;
    if (place !== null && place > winnersCount)
      throw invalid(`prizes.${i}.place`, 'must not exceed winners_count');
    return { place, title: p.title, description: p.description ?? '', quantity: p.quantity ?? 1 };
  });
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION', `Invalid ${field}: ${message}`, { fields: [{ field, message }] });
}
