-- Up Migration
-- content_version moves only when what a viewer reads changes (title, prizes, rules), not with every join.
-- The change relay turns it into a `giveaway:updated` event so clients refetch their snapshot; counts and
-- statuses have events of their own.

ALTER TABLE giveaways ADD COLUMN content_version bigint NOT NULL DEFAULT 1;

CREATE OR REPLACE FUNCTION giveaways_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    -- Direct SQL edits count too; an explicit content_version bump (prizes, sponsors) is kept as given.
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

-- Down Migration
CREATE OR REPLACE FUNCTION giveaways_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;
ALTER TABLE giveaways DROP COLUMN content_version;
