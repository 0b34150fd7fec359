-- Up Migration
-- Provably fair draws (server/draws): giveaways that commit to a drand round wait for it in `drawing`; the
-- entrant root is committed at close, before the beacon is used; rerolls are counted on the giveaway row so the
-- change relay can publish them, and logged with who asked and why (the public proof keeps the reason only).

-- ADD VALUE may run inside the migration transaction as long as nothing uses the value in that transaction.
ALTER TYPE giveaway_status ADD VALUE IF NOT EXISTS 'drawing' AFTER 'active';

-- §2 of the draw protocol, committed when entries close: public from then on (the giveaway view shows them).
ALTER TABLE draw_commitments
  ADD COLUMN entrants_root text CHECK (entrants_root IS NULL OR entrants_root ~ '^[0-9a-f]{64}$'),
  ADD COLUMN entrants_count integer CHECK (entrants_count IS NULL OR entrants_count >= 0),
  ADD CONSTRAINT draw_commitments_root_with_count CHECK ((entrants_root IS NULL) = (entrants_count IS NULL)),
  -- §1: a beacon commitment names the quicknet round; anything else could not be verified by anyone.
  ADD CONSTRAINT draw_commitments_beacon_shape CHECK (
    beacon IS NULL OR (
      beacon->>'network' = 'drand-quicknet'
      AND beacon->>'chain_hash' ~ '^[0-9a-f]{64}$'
      AND jsonb_typeof(beacon->'round') = 'number'
      AND (beacon->>'round')::numeric >= 1));

-- Bumped by every reroll in its transaction: the version trigger then wakes the relay, which reads the new
-- rerolls from the proof bundle and emits giveaway:rerolled.
ALTER TABLE giveaways ADD COLUMN rerolls_count integer NOT NULL DEFAULT 0 CHECK (rerolls_count >= 0);

-- The operator's record of each reroll, beside the public one in the proof bundle (which has no note or actor).
CREATE TABLE draw_rerolls (
  giveaway_id       uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  -- 1-based position of the reroll in the bundle's `rerolls` list.
  seq               integer NOT NULL CHECK (seq >= 1),
  place             integer NOT NULL CHECK (place > 0),
  replaced_user_id  bigint NOT NULL,
  by_user_id        bigint NOT NULL,
  reason            text NOT NULL CHECK (reason IN ('declined', 'unclaimed', 'ineligible', 'other')),
  note              text CHECK (note IS NULL OR char_length(note) <= 500),
  -- reserve: the first unused reserve took the place; stream: reserves were used up and the draw continued.
  source            text NOT NULL CHECK (source IN ('reserve', 'stream')),
  actor_id          bigint NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (giveaway_id, seq)
);

-- Down Migration
DROP TABLE IF EXISTS draw_rerolls;
ALTER TABLE giveaways DROP COLUMN IF EXISTS rerolls_count;
ALTER TABLE draw_commitments
  DROP CONSTRAINT IF EXISTS draw_commitments_beacon_shape,
  DROP CONSTRAINT IF EXISTS draw_commitments_root_with_count,
  DROP COLUMN IF EXISTS entrants_count,
  DROP COLUMN IF EXISTS entrants_root;
-- Enum values cannot be dropped: a waiting draw goes back to the pre-beacon marker (active + closed_at), and
-- the type is rebuilt. Indexes and checks that compare status with a literal are rebuilt around it.
UPDATE giveaways SET status = 'active' WHERE status = 'drawing';
DROP INDEX IF EXISTS giveaways_live_idx, giveaways_finished_idx, giveaways_creator_finished_idx,
  giveaways_top_idx;
ALTER TABLE giveaways DROP CONSTRAINT giveaways_pending_has_since;
ALTER TABLE giveaways ALTER COLUMN status DROP DEFAULT;
ALTER TYPE giveaway_status RENAME TO giveaway_status_with_drawing;
CREATE TYPE giveaway_status AS ENUM ('scheduled', 'active', 'pending', 'completed', 'cancelled');
ALTER TABLE giveaways ALTER COLUMN status TYPE giveaway_status USING status::text::giveaway_status;
ALTER TABLE giveaways ALTER COLUMN status SET DEFAULT 'active';
DROP TYPE giveaway_status_with_drawing;
ALTER TABLE giveaways ADD CONSTRAINT giveaways_pending_has_since
  CHECK (status <> 'pending' OR pending_since IS NOT NULL);
CREATE INDEX giveaways_live_idx ON giveaways (status, ends_at)
  WHERE status IN ('scheduled', 'active', 'pending');
CREATE INDEX giveaways_finished_idx ON giveaways (status, updated_at)
  WHERE status IN ('completed', 'cancelled');
CREATE INDEX giveaways_creator_finished_idx ON giveaways (creator_id, ends_at DESC, id)
  WHERE status = 'completed';
CREATE INDEX giveaways_top_idx ON giveaways (participants_count DESC, created_at DESC, id)
  WHERE status = 'active';
