-- Up Migration
-- Change notifications say whether the giveaway's status changed (issue 17 §4); closing counts (closed_at set:
-- the `drawing` the API shows). The relays pass at most once
-- per 100 ms tick so that join bursts coalesce per room; a status change (closed, drawn, pending, cancelled) is
-- rare by nature and its watchers wait for it, so a relay runs a pass for it at once (relay/tick-loop.ts)
-- instead of waiting for the tick a count update started moments before (~50–70 ms of a 1M draw's time,
-- bench/draw-1m). Listeners that do not know the field ignore it.
CREATE OR REPLACE FUNCTION giveaways_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_ giveaways;
BEGIN
  row_ := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('giveaway_changed', json_build_object(
    'giveaway_id', row_.id, 'version', row_.version, 'op', lower(TG_OP),
    'status_changed', TG_OP <> 'UPDATE' OR NEW.status IS DISTINCT FROM OLD.status
      OR NEW.closed_at IS DISTINCT FROM OLD.closed_at)::text);
  RETURN NULL;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION giveaways_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_ giveaways;
BEGIN
  row_ := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF TG_OP = 'UPDATE' AND NEW.version = OLD.version THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('giveaway_changed', json_build_object(
    'giveaway_id', row_.id, 'version', row_.version, 'op', lower(TG_OP))::text);
  RETURN NULL;
END $$;
