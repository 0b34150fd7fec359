// REST methods of giveaways: create, read, lists (cursor-paginated), edit, status changes, cancel, recreate,
// delete, join, tickets and the caller's requirement check.
import type {
  CheckRequirementsResponse,
  CreateGiveawayBody,
  GiveawayStatus,
  GiveawayView,
  ListQuery,
  NotificationsResponse,
  PrepareMessageResponse,
  UpdateGiveawayBody,
} from '../contract.ts';
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
  /** `POST /giveaways/:id/tickets` (admin). @example await client.giveaways.grantTickets(id, { user_id: 7, ticket_count: 2 }) */
  grantTickets(id: string, body: { user_id: number; ticket_count: number }): Promise<TicketsResult>;
  /** `GET /giveaways/:id/check-requirements`. @example const { all_met } = await client.giveaways.checkRequirements(id) */
  checkRequirements(id: string): Promise<CheckRequirementsResponse>;
  /** `GET /giveaways/:id/notifications` (owner): who was told the result. @example const { summary } = await client.giveaways.notifications(id) */
  notifications(id: string): Promise<NotificationsResponse>;
  /** `POST /giveaways/:id/prepare-message` (owner): an id for Telegram.WebApp.shareMessage. @example Telegram.WebApp.shareMessage((await client.giveaways.prepareMessage(id)).msg_id) */
  prepareMessage(id: string): Promise<PrepareMessageResponse>;
}

export const giveawayPath = (id: string, rest = '') => `/api/v1/giveaways/${encodeURIComponent(id)}${rest}`;

export function giveawaysApi(http: Http): GiveawaysApi {
  const call = async <T>(method: string, path: string, json?: unknown) =>
    (await http.request<T>(method, path, { json, as: method === 'DELETE' ? 'none' : 'json' })).data;
  const list = (path: string, options: ListOptions = {}) =>
    paginate<GiveawayView>(async (cursor) => {
      // A cursor continues where the previous page ended, so an offset applies to the first page only.
      const query = cursor ? { ...options, offset: undefined, cursor } : options;
      const { data, headers } = await http.request<GiveawayView[]>('GET', path, { query });
      return { items: data, nextCursor: headers.get('X-Next-Cursor') };
    });
  return {
    create: (body) => call('POST', '/api/v1/giveaways', body),
    get: (id) => call('GET', giveawayPath(id)),
    list: (options) => list('/api/v1/giveaways', options),
    listMine: (filter = 'all', options) => list(`/api/v1/giveaways/me/${filter}`, options),
    listJoined: (filter = 'active', options) =>
      list(`/api/v1/giveaways/me/${filter === 'active' ? 'participated' : 'participation/history'}`, options),
    listByCreator: (creatorId, { finished, ...options } = {}) =>
      list(`/api/v1/users/${creatorId}/giveaways${finished ? '/finished' : ''}`, options),
    update: (id, body) => call('PUT', giveawayPath(id), body),
    setStatus: (id, status) => call('PATCH', giveawayPath(id, '/status'), { status }),
    cancel: (id) => call('POST', giveawayPath(id, '/cancel')),
    recreate: (id) => call('POST', giveawayPath(id, '/recreate')),
    delete: (id) => call('DELETE', giveawayPath(id)),
    join: (id) => call('POST', giveawayPath(id, '/join')),
    grantTickets: (id, body) => call('POST', giveawayPath(id, '/tickets'), body),
    checkRequirements: (id) => call('GET', giveawayPath(id, '/check-requirements')),
    notifications: (id) => call('GET', giveawayPath(id, '/notifications')),
    prepareMessage: (id) => call('POST', giveawayPath(id, '/prepare-message')),
  };
}
