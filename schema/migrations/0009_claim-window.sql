-- Up Migration
-- Claim windows (server/draws/claims): a giveaway may ask each winner to claim the place within a window; at the
-- deadline an unclaimed place passes to the next reserve (a reroll with reason `unclaimed`, draw protocol §4),
-- or stays empty when no reserve is left. The deadline scan locks the giveaway row, then the winner row, like a
-- claim does, so a claim racing the deadline is decided by whichever transaction locks first, never both.

-- Seconds, 10 minutes to 7 days; NULL: winners do not have to claim (the default).
ALTER TABLE giveaways
  ADD COLUMN claim_window integer CHECK (claim_window IS NULL OR claim_window BETWEEN 600 AND 604800),
  -- Bumped with every row of winner_events in its transaction: the version trigger then wakes the change
  -- relay, which reads the new events and emits giveaway:claimed / giveaway:winner_changed.
  ADD COLUMN winner_events_count integer NOT NULL DEFAULT 0 CHECK (winner_events_count >= 0);

-- The holder's own window: set when the place is taken (draw or reroll), moved once by the creator.
ALTER TABLE winners
  ADD COLUMN claim_deadline timestamptz,
  ADD COLUMN claimed_at timestamptz,
  ADD COLUMN claim_extended_at timestamptz,
  ADD CONSTRAINT winners_claim_needs_deadline CHECK (claim_deadline IS NOT NULL OR claim_extended_at IS NULL);
-- The deadline scan's work queue: held places still waiting for their claim.
CREATE INDEX winners_claim_due_idx ON winners (claim_deadline)
  WHERE claim_deadline IS NOT NULL AND claimed_at IS NULL;

-- What happened to each place after the draw, in order: claims, and changes of holder (rerolls of any reason,
-- and a place left empty: user_id NULL). Public: the giveaway view lists the empty places from it.
CREATE TABLE winner_events (
  giveaway_id       uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  -- 1-based; equals giveaways.winner_events_count after the event's transaction.
  seq               integer NOT NULL CHECK (seq >= 1),
  kind              text NOT NULL CHECK (kind IN ('claimed', 'changed')),
  place             integer NOT NULL CHECK (place > 0),
  -- changed: who held the place before.
  previous_user_id  bigint,
  -- claimed: the claimant; changed: the new holder, NULL when the place was left empty.
  user_id           bigint,
  reason            text CHECK (reason IS NULL OR reason ~ '^[a-z_]{1,32}$'),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (giveaway_id, seq),
  CONSTRAINT winner_events_claim_shape CHECK (kind <> 'claimed' OR user_id IS NOT NULL),
  CONSTRAINT winner_events_change_shape CHECK (
    kind <> 'changed' OR (previous_user_id IS NOT NULL AND reason IS NOT NULL))
);

-- A reroll made by the deadline scan has no person behind it: actor NULL means the server.
ALTER TABLE draw_rerolls ALTER COLUMN actor_id DROP NOT NULL;

-- claim_window is part of the rules a viewer reads: changing it bumps content_version like the others.
CREATE OR REPLACE FUNCTION giveaways_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    IF NEW.content_version = OLD.content_version AND (
         NEW.title, NEW.description, NEW.winners_count, NEW.reserves_count, NEW.max_participants,
         NEW.allow_tickets, NEW.started_at, NEW.ends_at, NEW.duration, NEW.claim_window
       ) IS DISTINCT FROM (
         OLD.title, OLD.description, OLD.winners_count, OLD.reserves_count, OLD.max_participants,
         OLD.allow_tickets, OLD.started_at, OLD.ends_at, OLD.duration, OLD.claim_window
       ) THEN
      NEW.content_version := OLD.content_version + 1;
    END IF;
  END IF;
  RETURN NEW;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION giveaways_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    IF NEW.content_version = OLD.content_version AND (
         NEW.title, NEW.description, NEW.winners_count, NEW.reserves_count, NEW.max_participants,
         NEW.allow_tickets, NEW.started_at, NEW.ends_at, NEW.duration
       ) IS DISTINCT FROM (
         OLD.title, OLD.description, OLD.winners_count, OLD.reserves_count, OLD.max_participants,
         OLD.allow_tickets, OLD.started_at, OLD.ends_at, OLD.duration
       ) THEN
      NEW.content_version := OLD.content_version + 1;
    END IF;
  END IF;
  RETURN NEW;
END $$;
UPDATE draw_rerolls SET actor_id = 0 WHERE actor_id IS NULL;
ALTER TABLE draw_rerolls ALTER COLUMN actor_id SET NOT NULL;
DROP TABLE IF EXISTS winner_events;
DROP INDEX IF EXISTS winners_claim_due_idx;
ALTER TABLE winners
  DROP CONSTRAINT IF EXISTS winners_claim_needs_deadline,
  DROP COLUMN IF EXISTS claim_extended_at,
  DROP COLUMN IF EXISTS claimed_at,
  DROP COLUMN IF EXISTS claim_deadline;
ALTER TABLE giveaways DROP COLUMN IF EXISTS winner_events_count, DROP COLUMN IF EXISTS claim_window;
