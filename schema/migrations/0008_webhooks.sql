-- Up Migration
-- Signed webhooks for third-party apps (server/webhooks). Events are captured by triggers in the transaction
-- that made the change (an outbox), fanned out to the matching endpoints as one delivery row each, and sent by
-- job-queue workers in order per (endpoint, giveaway). No other service has to know webhooks exist.

-- An endpoint belongs to an API key and receives events of giveaways created by the key's owner.
CREATE TABLE webhook_endpoints (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  api_key_id            uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  owner_id              bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url                   text NOT NULL CHECK (char_length(url) BETWEEN 8 AND 2000),
  description           text NOT NULL DEFAULT '' CHECK (char_length(description) <= 200),
  events                text[] NOT NULL CHECK (cardinality(events) > 0),
  -- Standard Webhooks secrets (whsec_ + base64). During a rotation the previous one keeps signing too.
  secret                text NOT NULL,
  previous_secret       text,
  previous_secret_until timestamptz,
  enabled               boolean NOT NULL DEFAULT true,
  -- Why it was disabled (by its owner, or automatically after failing for days); shown to the owner.
  disabled_reason       text CHECK (disabled_reason IS NULL OR char_length(disabled_reason) <= 500),
  disabled_at           timestamptz,
  -- Start of the current run of failed attempts (NULL while deliveries succeed).
  failing_since         timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_key_idx ON webhook_endpoints (api_key_id, created_at);
CREATE INDEX webhook_endpoints_owner_idx ON webhook_endpoints (owner_id) WHERE enabled;
CREATE TRIGGER webhook_endpoints_set_updated_at BEFORE UPDATE ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per event that at least one endpoint wanted; the body is rebuilt from it identically on every attempt.
CREATE TABLE webhook_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type         text NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
  giveaway_id  uuid NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- pending: to send (or waiting for its retry); delivered: 2xx received; failed: gave up after the retry
-- window; superseded: a newer participants count replaced it before its first attempt.
CREATE TYPE webhook_delivery_status AS ENUM ('pending', 'delivered', 'failed', 'superseded');

CREATE TABLE webhook_deliveries (
  -- The Standard Webhooks message id (webhook-id header): the same on every attempt and redelivery.
  id               text PRIMARY KEY DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', ''),
  endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id         bigint NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  giveaway_id      uuid NOT NULL,
  event_type       text NOT NULL,
  status           webhook_delivery_status NOT NULL DEFAULT 'pending',
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- Set while a job for this delivery is queued or running; cleared when the attempt ends.
  queued_at        timestamptz,
  last_attempt_at  timestamptz,
  last_status      integer,
  last_error       text CHECK (last_error IS NULL OR char_length(last_error) <= 500),
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhook_deliveries_event_unique UNIQUE (endpoint_id, event_id)
);
-- The head of each lane: the oldest pending delivery per (endpoint, giveaway).
CREATE INDEX webhook_deliveries_lane_idx ON webhook_deliveries (endpoint_id, giveaway_id, event_id)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- The owner's delivery log, newest first.
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (endpoint_id, event_id DESC);
CREATE TRIGGER webhook_deliveries_set_updated_at BEFORE UPDATE ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Records an event for every enabled endpoint of the giveaway creator's live API keys that subscribed to it.
-- Nothing is written when no endpoint wants it, so giveaways without webhooks pay one indexed lookup.
CREATE FUNCTION webhook_publish(p_type text, p_giveaway_id uuid, p_payload jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_creator bigint;
  v_event bigint;
BEGIN
  SELECT creator_id INTO v_creator FROM giveaways WHERE id = p_giveaway_id;
  IF v_creator IS NULL OR NOT EXISTS (
    SELECT 1 FROM webhook_endpoints e JOIN api_keys k ON k.id = e.api_key_id
    WHERE e.owner_id = v_creator AND e.enabled AND k.revoked_at IS NULL AND p_type = ANY (e.events)
  ) THEN
    RETURN;
  END IF;
  INSERT INTO webhook_events (type, giveaway_id, payload) VALUES (p_type, p_giveaway_id, p_payload)
    RETURNING id INTO v_event;
  IF p_type = 'giveaway.participants' THEN
    -- Counts coalesce: a count nobody has tried to send yet is replaced by the newer one.
    UPDATE webhook_deliveries SET status = 'superseded'
    WHERE giveaway_id = p_giveaway_id AND event_type = p_type AND status = 'pending'
      AND attempts = 0 AND queued_at IS NULL
      AND endpoint_id IN (SELECT e.id FROM webhook_endpoints e WHERE e.owner_id = v_creator AND p_type = ANY (e.events));
  END IF;
  INSERT INTO webhook_deliveries (endpoint_id, event_id, giveaway_id, event_type)
  SELECT e.id, v_event, p_giveaway_id, p_type
  FROM webhook_endpoints e JOIN api_keys k ON k.id = e.api_key_id
  WHERE e.owner_id = v_creator AND e.enabled AND k.revoked_at IS NULL AND p_type = ANY (e.events);
  -- Wakes the delivery pump at once; its poll is the backstop.
  PERFORM pg_notify('webhooks', '');
END $$;

CREATE FUNCTION giveaways_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM webhook_publish('giveaway.created', NEW.id, jsonb_build_object(
      'giveaway_id', NEW.id, 'title', NEW.title, 'status', NEW.status, 'starts_at', NEW.started_at,
      'ends_at', NEW.ends_at, 'winners_count', NEW.winners_count, 'creator_id', NEW.creator_id));
    RETURN NULL;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    PERFORM webhook_publish('giveaway.status_changed', NEW.id, jsonb_build_object(
      'giveaway_id', NEW.id, 'previous_status', OLD.status, 'status', NEW.status,
      'participants_count', NEW.participants_count));
  END IF;
  IF NEW.participants_count IS DISTINCT FROM OLD.participants_count THEN
    PERFORM webhook_publish('giveaway.participants', NEW.id, jsonb_build_object(
      'giveaway_id', NEW.id, 'participants_count', NEW.participants_count));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER giveaways_webhook_events AFTER INSERT OR UPDATE ON giveaways
  FOR EACH ROW EXECUTE FUNCTION giveaways_webhook_events();

-- Deferred to commit so the winners written in the same transaction are all there, whatever their order.
CREATE FUNCTION giveaways_webhook_drawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_publish('giveaway.drawn', NEW.id, jsonb_build_object(
    'giveaway_id', NEW.id, 'participants_count', NEW.participants_count,
    'winners', COALESCE((SELECT jsonb_agg(jsonb_build_object('place', w.place, 'user_id', w.user_id)
                                          ORDER BY w.place)
                         FROM winners w WHERE w.giveaway_id = NEW.id), '[]'::jsonb)));
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER giveaways_webhook_drawn AFTER UPDATE ON giveaways
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.status = 'completed' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION giveaways_webhook_drawn();

-- Down Migration
DROP TRIGGER IF EXISTS giveaways_webhook_drawn ON giveaways;
DROP TRIGGER IF EXISTS giveaways_webhook_events ON giveaways;
DROP FUNCTION IF EXISTS giveaways_webhook_drawn, giveaways_webhook_events, webhook_publish;
DROP TABLE IF EXISTS webhook_deliveries, webhook_events, webhook_endpoints;
DROP TYPE IF EXISTS webhook_delivery_status;
