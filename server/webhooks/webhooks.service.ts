// Endpoint management for API-key callers (register, list, rotate, enable, delete), the delivery log with
// manual redelivery, and publishWebhookEvent for events the database does not capture by itself.
import * as db from 'zapatos/db';
import type pg from 'pg';
import type { Principal } from '../auth/index.ts';
import { AppError } from '../platform/errors.ts';
import { checkEndpointUrl, type AddressPolicy } from './address-guard.ts';
import { generateSecret } from './webhook-secret.ts';
import type { PublishedEventType, WebhookEventType } from './webhook-events.ts';
import * as q from './webhooks.queries.ts';

export interface WebhooksServiceDeps {
  pool: pg.Pool;
  policy: AddressPolicy;
  /** How long the previous secret keeps signing after a rotation. */
  rotationOverlapSec: number;
  /** At most this many endpoints per API key. */
  maxEndpointsPerKey: number;
  /** Wakes the delivery pump (redelivery, re-enable). */
  nudge?: () => void;
}

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  /** Set while a rotated-out secret still signs (the overlap). */
  previous_secret_expires_at: string | null;
  created_at: string;
}

export interface EndpointWithSecret extends EndpointView {
  secret: string;
}

const iso = (v: string | Date | null | undefined) =>
  v === null || v === undefined ? null : new Date(v).toISOString();

function view(row: q.EndpointRow): EndpointView {
  const overlap = row.previous_secret_until && new Date(row.previous_secret_until) > new Date();
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: iso(row.disabled_at),
    failing_since: iso(row.failing_since),
    previous_secret_expires_at: overlap ? iso(row.previous_secret_until) : null,
    created_at: iso(row.created_at) ?? '',
  };
}

export class WebhooksService {
  constructor(private readonly deps: WebhooksServiceDeps) {}

  async create(
    principal: Principal,
    input: { url: string; events: WebhookEventType[]; description?: string },
  ): Promise<EndpointWithSecret> {
    const keyId = this.keyOf(principal);
    const url = await checkEndpointUrl(input.url, this.deps.policy);
    const existing = await q.selectEndpoints(this.deps.pool, keyId);
    if (existing.length >= this.deps.maxEndpointsPerKey) {
      throw new AppError(
        'CONFLICT',
        `At most ${this.deps.maxEndpointsPerKey} webhook endpoints per API key.`,
      );
    }
    const secret = generateSecret();
    const row = await q.insertEndpoint(this.deps.pool, {
      api_key_id: keyId,
      owner_id: principal.userId,
      url: url.toString(),
      description: input.description ?? '',
      events: [...new Set(input.events)],
      secret,
    });
    return { ...view(row), secret };
  }

  async list(principal: Principal): Promise<EndpointView[]> {
    return (await q.selectEndpoints(this.deps.pool, this.keyOf(principal))).map(view);
  }

  async get(principal: Principal, id: string): Promise<EndpointView> {
    return view(await this.find(principal, id));
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await q.deleteEndpoint(this.deps.pool, this.keyOf(principal), id))) throw notFound();
  }

  async rotateSecret(principal: Principal, id: string): Promise<EndpointWithSecret> {
    const secret = generateSecret();
    const row = await q.rotateSecret(
      this.deps.pool,
      this.keyOf(principal),
      id,
      secret,
      this.deps.rotationOverlapSec,
    );
    if (!row) throw notFound();
    return { ...view(row), secret };
  }

  /** Enable (clears the failing streak and the reason) or disable by hand. */
  async setEnabled(principal: Principal, id: string, enabled: boolean): Promise<EndpointView> {
    const row = await q.updateEndpoint(
      this.deps.pool,
      this.keyOf(principal),
      id,
      enabled
        ? { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null }
        : { enabled: false, disabled_reason: 'Disabled by its owner', disabled_at: db.sql`now()` },
    );
    if (!row) throw notFound();
    if (enabled) this.deps.nudge?.();
    return view(row);
  }

  async deliveries(principal: Principal, id: string, opts: { limit: number; before?: number }) {
    const endpoint = await this.find(principal, id);
    const items = await q.selectDeliveries(this.deps.pool, endpoint.id, opts.limit, opts.before);
    const last = items.at(-1);
    return { items, next_before: items.length === opts.limit && last ? last.event_id : null };
  }

  async redeliver(principal: Principal, id: string, deliveryId: string): Promise<void> {
    const endpoint = await this.find(principal, id);
    if (!(await q.requeueDelivery(this.deps.pool, endpoint.id, deliveryId))) throw notFound('Delivery');
    this.deps.nudge?.();
  }

  private async find(principal: Principal, id: string): Promise<q.EndpointRow> {
    const row = await q.selectEndpoint(this.deps.pool, this.keyOf(principal), id);
    if (!row) throw notFound();
    return row;
  }

  /** Endpoints belong to the API key that registered them; Mini App sessions have none. */
  private keyOf(principal: Principal): string {
    if (principal.via !== 'api-key' || !principal.apiKeyId) {
      throw new AppError('FORBIDDEN', 'Webhooks are managed with an API key (X-API-Key).');
    }
    if (principal.isBanned) throw new AppError('FORBIDDEN', 'This account is banned.');
    return principal.apiKeyId;
  }
}

/**
 * Records `type` for every subscribed endpoint of the giveaway's creator, inside the caller's transaction
 * `tx`: no commit, no webhook. For the events triggers cannot see (winner changes, claims).
 */
export function publishWebhookEvent(
  tx: db.Queryable,
  type: PublishedEventType,
  payload: { giveaway_id: string } & Record<string, unknown>,
): Promise<void> {
  return q.publishEvent(tx, type, payload.giveaway_id, payload);
}

const notFound = (what = 'Webhook endpoint') => new AppError('NOT_FOUND', `${what} not found.`);
