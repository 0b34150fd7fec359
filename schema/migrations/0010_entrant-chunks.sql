-- Up Migration
-- Frozen entrant lists stored compactly (issue 17 §4). One row per entrant made closing a 1M-participant
-- giveaway insert a million heap rows and a million primary-key entries inside the close transaction (~1.5
-- PostgreSQL CPU-s, measured). The list is written once and never changed, and every reader wants it whole, in
-- canonical order, or looks up a few ids: so it is stored as consecutive slices of the canonical list (user_id
-- ascending), 65,536 entrants a row, two parallel arrays each. 1M entrants are 16 rows.
CREATE TABLE draw_entrant_chunks (
  giveaway_id    uuid NOT NULL,
  -- 0-based position of the slice in the canonical list.
  chunk          integer NOT NULL CHECK (chunk >= 0),
  -- The slice's first and last ids: which chunk holds an id is found without opening the arrays.
  first_user_id  bigint NOT NULL,
  last_user_id   bigint NOT NULL,
  -- Ascending, no duplicates, no NULLs (written only from participants, whose key is (giveaway_id, user_id)).
  user_ids       bigint[] NOT NULL,
  weights        integer[] NOT NULL,
  PRIMARY KEY (giveaway_id, chunk),
  CONSTRAINT draw_entrant_chunks_shape CHECK (
    cardinality(user_ids) > 0 AND cardinality(weights) = cardinality(user_ids)
    AND first_user_id = user_ids[1] AND last_user_id = user_ids[cardinality(user_ids)]),
  -- Weight 1 + tickets, as draw_entrants.weight was (the upper bound is integer's own).
  CONSTRAINT draw_entrant_chunks_weight_check CHECK (1 <= ALL (weights))
);
-- Out of line and uncompressed: sorted ids compress poorly, and pglz over ~0.8 MB a row would cost close
-- time; readers slice and binary-search whole arrays anyway.
ALTER TABLE draw_entrant_chunks ALTER COLUMN user_ids SET STORAGE EXTERNAL,
  ALTER COLUMN weights SET STORAGE EXTERNAL;

INSERT INTO draw_entrant_chunks (giveaway_id, chunk, first_user_id, last_user_id, user_ids, weights)
SELECT giveaway_id, chunk, min(user_id), max(user_id),
  array_agg(user_id ORDER BY user_id), array_agg(weight ORDER BY user_id)
FROM (
  SELECT giveaway_id, user_id, weight,
    ((row_number() OVER (PARTITION BY giveaway_id ORDER BY user_id)) - 1) / 65536 AS chunk
  FROM draw_entrants
) e
GROUP BY giveaway_id, chunk;

-- No foreign key, as for draw_entrants since 0002 (the freeze reads participants, which reference giveaways):
-- the delete trigger keeps the cascade.
CREATE OR REPLACE FUNCTION giveaways_delete_draw_entrants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM draw_entrant_chunks WHERE giveaway_id = OLD.id;
  RETURN NULL;
END $$;

DROP TABLE draw_entrants;

-- Down Migration
CREATE TABLE draw_entrants (
  giveaway_id  uuid NOT NULL,
  user_id      bigint NOT NULL,
  weight       integer NOT NULL CHECK (weight BETWEEN 1 AND 2147483647),
  PRIMARY KEY (giveaway_id, user_id)
);
INSERT INTO draw_entrants (giveaway_id, user_id, weight)
SELECT c.giveaway_id, e.user_id, e.weight
FROM draw_entrant_chunks c, unnest(c.user_ids, c.weights) AS e(user_id, weight)
ORDER BY c.giveaway_id, e.user_id;
CREATE OR REPLACE FUNCTION giveaways_delete_draw_entrants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM draw_entrants WHERE giveaway_id = OLD.id;
  RETURN NULL;
END $$;
DROP TABLE IF EXISTS draw_entrant_chunks;
