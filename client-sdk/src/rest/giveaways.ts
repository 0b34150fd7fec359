// REST methods of giveaways: create, read, lists (cursor-paginated), edit, status changes, cancel, recreate,
// delete, join, tickets and the caller's requirement check.
import type {
  CheckRequirementsResponse,
  ClaimResult,
  CreateGiveawayBody,
  GiveawayStatus,
  GiveawayView,
  ListQuery,
  NotificationsResponse,
  OperationId,
  PrepareMessageResponse,
  UpdateGiveawayBody,
} from '../contract.ts';
import { OPERATION_ROUTES } from '../contract.ts';
import type { Http } from '../http.ts';
import { paginate, type Paginated } from '../paginate.ts';
import type { JoinResult, TicketsResult } from '../types.ts';

/**
 * Page size and filters of the giveaway lists; the cursor is followed for you.
 *
 * @example
 * client.giveaways.list({ limit: 50, min_participants: 10 });
 */
export type ListOptions = Omit<ListQuery, 'cursor'>;

/**
 * `client.giveaways`: every giveaway route of `/api/v1`.
 *
 * @example
 * const created = await client.giveaways.create({ title: 'Stars', duration: 3600, winners_count: 1 });
 * await client.giveaways.join(created.id);
 */
export interface GiveawaysApi {
  /** `POST /giveaways`. @example await client.giveaways.create({ title: 'T', duration: 3600, winners_count: 1 }) */
  create(body: CreateGiveawayBody): Promise<GiveawayView>;
  /** `GET /giveaways/:id`, with the caller's role. @example const g = await client.giveaways.get(id) */
  get(id: string): Promise<GiveawayView>;
  /** `GET /giveaways`: active ones by participants, then newest. @example for await (const g of client.giveaways.list()) {} */
  list(options?: ListOptions): Paginated<GiveawayView>;
  /** `GET /giveaways/me/{all,active,history}`. @example await client.giveaways.listMine('active').all() */
  listMine(filter?: 'all' | 'active' | 'history', options?: ListOptions): Paginated<GiveawayView>;
  /** `GET /giveaways/me/participated` (live) or `…/participation/history`. @example client.giveaways.listJoined('history') */
  listJoined(filter?: 'active' | 'history', options?: ListOptions): Paginated<GiveawayView>;
  /** `GET /users/:creator_id/giveaways[/finished]`. @example client.giveaways.listByCreator(42, { finished: true }) */
  listByCreator(creatorId: number, options?: ListOptions & { finished?: boolean }): Paginated<GiveawayView>;
  /** `PUT /giveaways/:id` (owner, within 5 minutes of start). @example await client.giveaways.update(id, { title: 'New' }) */
  update(id: string, body: UpdateGiveawayBody): Promise<GiveawayView>;
  /** `PATCH /giveaways/:id/status`. @example await client.giveaways.setStatus(id, 'completed') */
  setStatus(id: string, status: GiveawayStatus): Promise<GiveawayView>;
  /** `POST /giveaways/:id/cancel`. @example await client.giveaways.cancel(id) */
  cancel(id: string): Promise<GiveawayView>;
  /** `POST /giveaways/:id/recreate`: a new active copy. @example const copy = await client.giveaways.recreate(id) */
  recreate(id: string): Promise<GiveawayView>;
  /** `DELETE /giveaways/:id`. @example await client.giveaways.delete(id) */
  delete(id: string): Promise<void>;
  /** `POST /giveaways/:id/join` (idempotent). For the socket path see `client.join`. @example await client.giveaways.join(id) */
  join(id: string): Promise<JoinResult>;
  /**
   * `POST /giveaways/:id/claim`: the caller claims the place they won, within the giveaway's claim window.
   * Repeats answer `already_claimed`; after the deadline it fails with CONFLICT.
   * @example const { place } = await client.giveaways.claim(id)
   */
  claim(id: string): Promise<ClaimResult>;
  /** `POST /giveaways/:id/tickets` (admin). @example await client.giveaways.grantTickets(id, { user_id: 7, ticket_count: 2 }) */
  grantTickets(id: string, body: { user_id: number; ticket_count: number }): Promise<TicketsResult>;
  /** `GET /giveaways/:id/check-requirements`. @example const { all_met } = await client.giveaways.checkRequirements(id) */
  checkRequirements(id: string): Promise<CheckRequirementsResponse>;
  /** `GET /giveaways/:id/notifications` (owner): who was told the result. @example const { summary } = await client.giveaways.notifications(id) */
  notifications(id: string): Promise<NotificationsResponse>;
  /** `POST /giveaways/:id/prepare-message` (owner): an id for Telegram.WebApp.shareMessage. @example Telegram.WebApp.shareMessage((await client.giveaways.prepareMessage(id)).msg_id) */
  prepareMessage(id: string): Promise<PrepareMessageResponse>;
}

export function giveawaysApi(http: Http): GiveawaysApi {
  const call = async <T>(id: OperationId, params: Record<string, string | number> = {}, json?: unknown) => {
    const as = OPERATION_ROUTES[id].method === 'delete' ? 'none' : 'json';
    return (await http.op<T>(id, params, { json, as })).data;
  };
  const list = (id: OperationId, params: Record<string, string | number>, options: ListOptions = {}) =>
    paginate<GiveawayView>(async (cursor) => {
      // A cursor continues where the previous page ended, so an offset applies to the first page only.
      const query = cursor ? { ...options, offset: undefined, cursor } : options;
      const { data, headers } = await http.op<GiveawayView[]>(id, params, { query });
      return { items: data, nextCursor: headers.get('X-Next-Cursor') };
    });
  const MINE = {
    all: 'listMyGiveaways',
    active: 'listMyActiveGiveaways',
    history: 'listMyFinishedGiveaways',
  } as const;
  return {
    create: (body) => call('createGiveaway', {}, body),
    get: (id) => call('getGiveaway', { id }),
    list: (options) => list('listGiveaways', {}, options),
    listMine: (filter = 'all', options) => list(MINE[filter], {}, options),
    listJoined: (filter = 'active', options) =>
      list(filter === 'active' ? 'listMyParticipations' : 'listMyParticipationHistory', {}, options),
    listByCreator: (creatorId, { finished, ...options } = {}) =>
      list(
        finished ? 'listCreatorFinishedGiveaways' : 'listCreatorGiveaways',
        { creator_id: creatorId },
        options,
      ),
    update: (id, body) => call('updateGiveaway', { id }, body),
    setStatus: (id, status) => call('setGiveawayStatus', { id }, { status }),
    cancel: (id) => call('cancelGiveaway', { id }),
    recreate: (id) => call('recreateGiveaway', { id }),
    delete: (id) => call('deleteGiveaway', { id }),
    join: (id) => call('joinGiveaway', { id }),
    claim: (id) => call('claimGiveaway', { id }),
    grantTickets: (id, body) => call('addTickets', { id }, body),
    checkRequirements: (id) => call('checkRequirements', { id }),
    notifications: (id) => call('listNotifications', { id }),
    prepareMessage: (id) => call('prepareShareMessage', { id }),
  };
}
