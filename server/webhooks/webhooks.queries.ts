// SQL of webhooks: endpoints per API key, the delivery log, and the lane pump's claim of due deliveries.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export type EndpointRow = s.webhook_endpoints.JSONSelectable;
export type Queryable = db.Queryable;

type SQL = s.webhook_endpoints.SQL | s.webhook_deliveries.SQL | s.webhook_events.SQL;

export function insertEndpoint(
  client: Queryable,
  row: {
    api_key_id: string;
    owner_id: number;
    url: string;
    description: string;
    events: string[];
    secret: string;
  },
) {
  return db.insert('webhook_endpoints', row).run(client);
}

export function selectEndpoints(client: Queryable, apiKeyId: string) {
  return db
    .select('webhook_endpoints', { api_key_id: apiKeyId }, { order: { by: 'created_at', direction: 'ASC' } })
    .run(client);
}

export function selectEndpoint(client: Queryable, apiKeyId: string, id: string) {
  return db.selectOne('webhook_endpoints', { api_key_id: apiKeyId, id }).run(client);
}

export function selectEndpointById(client: Queryable, id: string) {
  return db.selectOne('webhook_endpoints', { id }).run(client);
}

export async function deleteEndpoint(client: Queryable, apiKeyId: string, id: string): Promise<boolean> {
  const rows = await db.deletes('webhook_endpoints', { api_key_id: apiKeyId, id }).run(client);
  return rows.length > 0;
}

export async function updateEndpoint(
  client: Queryable,
  apiKeyId: string,
  id: string,
  values: s.webhook_endpoints.Updatable,
) {
  const rows = await db.update('webhook_endpoints', values, { api_key_id: apiKeyId, id }).run(client);
  return rows[0];
}

/** Rotation: the current secret becomes the previous one, valid until `overlapSec` from now. */
export async function rotateSecret(
  client: Queryable,
  apiKeyId: string,
  id: string,
  secret: string,
  overlapSec: number,
) {
  const rows = await db
    .update(
      'webhook_endpoints',
      {
        previous_secret: db.sql`${'secret'}`,
        secret,
        previous_secret_until: db.sql`now() + make_interval(secs => ${db.param(overlapSec)})`,
      },
      { api_key_id: apiKeyId, id },
    )
    .run(client);
  return rows[0];
}

export interface DeliveryLogRow {
  id: string;
  event_id: number;
  event_type: string;
  giveaway_id: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** Newest first, keyset-paginated by event id. */
export function selectDeliveries(client: Queryable, endpointId: string, limit: number, before?: number) {
  return db.sql<SQL, Array<{ result: DeliveryLogRow }>>`
    SELECT jsonb_build_object('id', id, 'event_id', event_id, 'event_type', event_type,
      'giveaway_id', giveaway_id, 'status', status, 'attempts', attempts, 'next_attempt_at', next_attempt_at,
      'last_attempt_at', last_attempt_at, 'last_status', last_status, 'last_error', last_error,
      'delivered_at', delivered_at, 'created_at', created_at) AS result
    FROM webhook_deliveries
    WHERE endpoint_id = ${db.param(endpointId)}
      ${before === undefined ? db.sql`` : db.sql`AND event_id < ${db.param(before)}`}
    ORDER BY event_id DESC LIMIT ${db.param(limit)}`
    .run(client)
    .then((rows) => rows.map((r) => r.result));
}

/** Manual redelivery: back to pending, due now; the webhook-id stays the same (receivers deduplicate on it). */
export async function requeueDelivery(client: Queryable, endpointId: string, id: string): Promise<boolean> {
  const rows = await db.sql<SQL, Array<{ id: string }>>`
    UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), queued_at = NULL,
      created_at = now()
    WHERE id = ${db.param(id)} AND endpoint_id = ${db.param(endpointId)} AND status <> 'superseded'
    RETURNING id`.run(client);
  return rows.length > 0;
}

export async function publishEvent(client: Queryable, type: string, giveawayId: string, payload: unknown) {
  await db.sql<SQL>`SELECT webhook_publish(${db.param(type)}, ${db.param(giveawayId)}::uuid,
    ${db.param(JSON.stringify(payload))}::jsonb)`.run(client);
}

/**
 * Claims the head (oldest pending delivery) of every lane (endpoint, giveaway) that is due and not already
 * queued, or whose queued job went silent for `staleSec`. Row locks plus the re-checked WHERE make two
 * pumps on two nodes claim each head once.
 */
export function claimDueHeads(client: Queryable, limit: number, staleSec: number) {
  return db.sql<SQL, Array<{ id: string; attempts: number }>>`
    WITH heads AS (
      SELECT DISTINCT ON (d.endpoint_id, d.giveaway_id) d.id
      FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
      WHERE d.status = 'pending'
      ORDER BY d.endpoint_id, d.giveaway_id, d.event_id
    ), due AS (
      SELECT d.id FROM webhook_deliveries d JOIN heads h ON h.id = d.id
      WHERE d.status = 'pending' AND d.next_attempt_at <= now()
        AND (d.queued_at IS NULL OR d.queued_at < now() - make_interval(secs => ${db.param(staleSec)}))
      LIMIT ${db.param(limit)}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d SET queued_at = now() FROM due WHERE d.id = due.id
    RETURNING d.id, d.attempts`.run(client);
}

export interface DeliveryToSend {
  id: string;
  endpoint_id: string;
  giveaway_id: string;
  event_id: number;
  status: string;
  attempts: number;
  created_at: Date;
  event_type: string;
  event_created_at: Date;
  payload: unknown;
  url: string;
  enabled: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  earlier_pending: boolean;
}

export async function selectDeliveryToSend(client: Queryable, id: string) {
  const rows = await db.sql<SQL, DeliveryToSend[]>`
    SELECT d.id, d.endpoint_id, d.giveaway_id, d.event_id, d.status::text AS status, d.attempts, d.created_at,
      ev.type AS event_type, ev.created_at AS event_created_at, ev.payload,
      e.url, e.enabled, e.secret, e.previous_secret, e.previous_secret_until,
      EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id
              AND p.giveaway_id = d.giveaway_id AND p.status = 'pending' AND p.event_id < d.event_id)
        AS earlier_pending
    FROM webhook_deliveries d
    JOIN webhook_events ev ON ev.id = d.event_id
    JOIN webhook_endpoints e ON e.id = d.endpoint_id
    WHERE d.id = ${db.param(id)}`.run(client);
  return rows[0];
}

/** Lets the pump claim it again (used when a job finds its delivery is no longer the lane's head). */
export async function releaseDelivery(client: Queryable, id: string): Promise<void> {
  await db.sql<SQL>`UPDATE webhook_deliveries SET queued_at = NULL WHERE id = ${db.param(id)}`.run(client);
}

/** Records one attempt, guarded by the attempt count the job was queued for (a stale job changes nothing). */
export async function recordAttempt(
  client: Queryable,
  id: string,
  expectedAttempts: number,
  outcome: {
    status: 'pending' | 'delivered' | 'failed';
    httpStatus: number | null;
    error: string | null;
    retryInMs: number;
  },
): Promise<boolean> {
  const rows = await db.sql<SQL, Array<{ id: string }>>`
    UPDATE webhook_deliveries SET status = ${db.param(outcome.status)}::webhook_delivery_status,
      attempts = attempts + 1, queued_at = NULL, last_attempt_at = now(),
      last_status = ${db.param(outcome.httpStatus)}, last_error = ${db.param(outcome.error?.slice(0, 500) ?? null)},
      next_attempt_at = now() + make_interval(secs => ${db.param(outcome.retryInMs / 1000)}),
      delivered_at = CASE WHEN ${db.param(outcome.status)} = 'delivered' THEN now() ELSE delivered_at END
    WHERE id = ${db.param(id)} AND attempts = ${db.param(expectedAttempts)} AND status = 'pending'
    RETURNING id`.run(client);
  return rows.length > 0;
}

/** Endpoint health after an attempt: success clears the failing streak; a long streak disables it. */
export async function markEndpointHealth(
  client: Queryable,
  endpointId: string,
  ok: boolean,
  disableAfterSec: number,
): Promise<{ disabled: boolean }> {
  if (ok) {
    await db.sql<SQL>`UPDATE webhook_endpoints SET failing_since = NULL
      WHERE id = ${db.param(endpointId)} AND failing_since IS NOT NULL`.run(client);
    return { disabled: false };
  }
  const rows = await db.sql<SQL, Array<{ enabled: boolean }>>`
    UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, now()),
      enabled = CASE WHEN failing_since < now() - make_interval(secs => ${db.param(disableAfterSec)})
                     THEN false ELSE enabled END,
      disabled_at = CASE WHEN enabled AND failing_since < now() - make_interval(secs => ${db.param(disableAfterSec)})
                         THEN now() ELSE disabled_at END,
      disabled_reason = CASE WHEN enabled AND failing_since < now() - make_interval(secs => ${db.param(disableAfterSec)})
                             THEN 'Disabled automatically: every delivery failed since ' || failing_since::text
                             ELSE disabled_reason END
    WHERE id = ${db.param(endpointId)}
    RETURNING enabled`.run(client);
  const disabled = rows[0]?.enabled === false;
  // A disabled endpoint gets no more attempts: what was still waiting for one has failed (its owner can redeliver
  // it after enabling the endpoint again), rather than staying pending forever.
  if (disabled) {
    await db.sql<SQL>`UPDATE webhook_deliveries SET status = 'failed', queued_at = NULL
      WHERE endpoint_id = ${db.param(endpointId)} AND status = 'pending'`.run(client);
  }
  return { disabled };
}
