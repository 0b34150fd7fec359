-- Up Migration
-- The whole domain as of the seed (reference/legacy-system.md §1) with its schema bugs fixed, plus what
-- the design needs: version + participants_count for realtime, draw commitments and proofs, API keys,
-- the channels the bot tracks and who administers them. Constraints enforce the domain; the API validates
-- first so users get friendly errors, and these are the last line of defence (direct SQL, imports).

CREATE TYPE user_role AS ENUM ('user', 'admin');
CREATE TYPE user_status AS ENUM ('active', 'banned');
CREATE TYPE giveaway_status AS ENUM ('scheduled', 'active', 'pending', 'completed', 'cancelled');
CREATE TYPE requirement_type AS ENUM (
  'subscription', 'boost', 'custom', 'premium', 'holdton', 'holdjetton', 'account_age'
);
CREATE TYPE prize_type AS ENUM (
  'telegram_stars', 'telegram_premium', 'telegram_gifts', 'telegram_stickers', 'custom', 'internal'
);
CREATE TYPE win_status AS ENUM ('pending', 'distributed', 'cancelled');
CREATE TYPE winner_source AS ENUM ('draw', 'manual', 'reroll', 'import');
CREATE TYPE participant_source AS ENUM ('api', 'socket', 'bot', 'import');
CREATE TYPE draw_mode AS ENUM ('random', 'manual');

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- Users: the legacy Go model had role/status but no columns for them (BUG); they are here, with the
-- profile fields copied from init-data. Usernames move between Telegram accounts, so they are indexed,
-- not unique (HEAD's unique index made upserts fail for the new owner).
CREATE TABLE users (
  id              bigint PRIMARY KEY CHECK (id > 0),
  username        text CHECK (username IS NULL OR username ~ '^[A-Za-z0-9_]{1,64}$'),
  first_name      text NOT NULL DEFAULT '',
  last_name       text NOT NULL DEFAULT '',
  avatar_url      text,
  language_code   text,
  is_premium      boolean NOT NULL DEFAULT false,
  role            user_role NOT NULL DEFAULT 'user',
  status          user_status NOT NULL DEFAULT 'active',
  wallet_address  text,
  bot_blocked_at  timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_username_lower_idx ON users (lower(username)) WHERE username IS NOT NULL;
CREATE INDEX users_wallet_lower_idx ON users (lower(wallet_address)) WHERE wallet_address IS NOT NULL;
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE giveaways (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  creator_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title              text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
  description        text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
  status             giveaway_status NOT NULL DEFAULT 'active',
  started_at         timestamptz NOT NULL,
  -- Stored, never left at the zero time as the Redis era did; always started_at + duration.
  ends_at            timestamptz NOT NULL,
  -- Seconds. 5 s is the DEBUG minimum; the API enforces 300 s outside DEBUG. 60 days at most.
  duration           integer NOT NULL CHECK (duration BETWEEN 5 AND 5184000),
  winners_count      integer NOT NULL CHECK (winners_count BETWEEN 1 AND 1000),
  reserves_count     integer NOT NULL DEFAULT 0 CHECK (reserves_count BETWEEN 0 AND 1000),
  -- 0 = unlimited.
  max_participants   integer NOT NULL DEFAULT 0
                       CHECK (max_participants = 0 OR max_participants >= winners_count),
  allow_tickets      boolean NOT NULL DEFAULT false,
  auto_distribute    boolean NOT NULL DEFAULT false,
  -- Prepared inline message id for sharing (Telegram), owner-only in the API.
  msg_id             text,
  -- Maintained by the join batcher (one UPDATE per batch), read by every view: no COUNT(*) on a hot path.
  participants_count integer NOT NULL DEFAULT 0 CHECK (participants_count >= 0),
  -- Bumped by trigger on every change; clients use it to detect gaps and the relay to coalesce.
  version            bigint NOT NULL DEFAULT 1,
  pending_since      timestamptz,
  finished_at        timestamptz,
  recreated_from     uuid REFERENCES giveaways (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT giveaways_ends_after_start CHECK (ends_at > started_at),
  CONSTRAINT giveaways_pending_has_since CHECK (status <> 'pending' OR pending_since IS NOT NULL)
);
CREATE INDEX giveaways_creator_idx ON giveaways (creator_id, created_at DESC, id);
CREATE INDEX giveaways_status_idx ON giveaways (status);
CREATE INDEX giveaways_ends_at_idx ON giveaways (ends_at);
-- The scheduler's work queue and every "live" list.
CREATE INDEX giveaways_live_idx ON giveaways (status, ends_at)
  WHERE status IN ('scheduled', 'active', 'pending');
-- History lists.
CREATE INDEX giveaways_finished_idx ON giveaways (status, updated_at)
  WHERE status IN ('completed', 'cancelled');
CREATE INDEX giveaways_creator_finished_idx ON giveaways (creator_id, ends_at DESC, id)
  WHERE status = 'completed';
-- The public "top" list: active ones by participants, then newest.
CREATE INDEX giveaways_top_idx ON giveaways (participants_count DESC, created_at DESC, id)
  WHERE status = 'active';

-- Every change bumps version and wakes the change relay, whoever made it (API, worker, direct SQL).
-- The payload carries ids only: NOTIFY is a hint, listeners re-read the row.
CREATE FUNCTION giveaways_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER giveaways_bump_version BEFORE UPDATE ON giveaways
  FOR EACH ROW EXECUTE FUNCTION giveaways_bump_version();

CREATE FUNCTION giveaways_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER giveaways_notify_change AFTER INSERT OR UPDATE OR DELETE ON giveaways
  FOR EACH ROW EXECUTE FUNCTION giveaways_notify_change();

CREATE TABLE participants (
  giveaway_id  uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  joined_at    timestamptz NOT NULL DEFAULT now(),
  source       participant_source NOT NULL DEFAULT 'api',
  PRIMARY KEY (giveaway_id, user_id)
);
-- "Giveaways I joined", newest first.
CREATE INDEX participants_user_idx ON participants (user_id, joined_at DESC, giveaway_id);

-- Prize catalogue (the Redis era's typed prizes and POST /prizes/custom). Giveaway prizes may link to one;
-- the giveaway row keeps its own title/description snapshot.
CREATE TABLE prizes (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type         prize_type NOT NULL DEFAULT 'custom',
  name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  description  text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
  is_internal  boolean NOT NULL DEFAULT false,
  fields       jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(fields) = 'array'),
  creator_id   bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER prizes_set_updated_at BEFORE UPDATE ON prizes FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A giveaway's prizes. The legacy PK (giveaway_id, prize_id) broke the "all places" expansion (BUG): rows
-- have their own id, so one catalogue prize may serve several places. place NULL = a "loose" prize spread
-- over all winners by the base/remainder rule.
CREATE TABLE giveaway_prizes (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  giveaway_id  uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  prize_id     uuid REFERENCES prizes (id) ON DELETE SET NULL,
  position     integer NOT NULL CHECK (position >= 0),
  place        integer CHECK (place IS NULL OR place > 0),
  title        text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 100),
  description  text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
  quantity     integer NOT NULL DEFAULT 1 CHECK (quantity >= 1),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT giveaway_prizes_position_unique UNIQUE (giveaway_id, position)
);

-- Winners by place. A user wins at most once per giveaway.
CREATE TABLE winners (
  giveaway_id  uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  place        integer NOT NULL CHECK (place > 0),
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  source       winner_source NOT NULL DEFAULT 'draw',
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (giveaway_id, place),
  CONSTRAINT winners_user_unique UNIQUE (giveaway_id, user_id)
);
CREATE INDEX winners_user_idx ON winners (user_id, giveaway_id);

-- What each winner receives: one row per (winner, prize) with its quantity (not one row per unit).
CREATE TABLE win_records (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  giveaway_id        uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  place              integer NOT NULL CHECK (place > 0),
  giveaway_prize_id  bigint REFERENCES giveaway_prizes (id) ON DELETE SET NULL,
  prize_id           uuid REFERENCES prizes (id) ON DELETE SET NULL,
  prize_title        text NOT NULL,
  prize_description  text NOT NULL DEFAULT '',
  quantity           integer NOT NULL DEFAULT 1 CHECK (quantity >= 1),
  status             win_status NOT NULL DEFAULT 'pending',
  received_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT win_records_winner_fk FOREIGN KEY (giveaway_id, place)
    REFERENCES winners (giveaway_id, place) ON DELETE CASCADE,
  CONSTRAINT win_records_received_when_distributed CHECK (status <> 'distributed' OR received_at IS NOT NULL)
);
CREATE INDEX win_records_giveaway_idx ON win_records (giveaway_id, place);
CREATE INDEX win_records_user_idx ON win_records (user_id);
CREATE TRIGGER win_records_set_updated_at BEFORE UPDATE ON win_records
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Requirements, every field persisted (HEAD dropped account_age_min_year and non-channel titles: BUG).
CREATE TABLE requirements (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  giveaway_id           uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  position              integer NOT NULL CHECK (position >= 0),
  type                  requirement_type NOT NULL,
  channel_id            bigint,
  channel_username      text,
  name                  text,
  description           text CHECK (description IS NULL OR char_length(description) <= 1000),
  avatar_url            text,
  url                   text,
  ton_min_balance_nano  numeric(40, 0) CHECK (ton_min_balance_nano IS NULL OR ton_min_balance_nano >= 0),
  jetton_address        text,
  jetton_min_amount     numeric(40, 0) CHECK (jetton_min_amount IS NULL OR jetton_min_amount >= 0),
  account_age_min_year  integer CHECK (account_age_min_year IS NULL OR account_age_min_year BETWEEN 2013 AND 2100),
  account_age_max_year  integer CHECK (account_age_max_year IS NULL OR account_age_max_year BETWEEN 2013 AND 2100),
  -- false when the bot lost access to the channel: the check can no longer be made (creator is told).
  checkable             boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT requirements_position_unique UNIQUE (giveaway_id, position),
  CONSTRAINT requirements_channel_needed CHECK (
    type NOT IN ('subscription', 'boost') OR channel_id IS NOT NULL OR channel_username IS NOT NULL),
  CONSTRAINT requirements_account_age_bounds CHECK (
    type <> 'account_age' OR (
      (account_age_min_year IS NOT NULL OR account_age_max_year IS NOT NULL)
      AND (account_age_min_year IS NULL OR account_age_max_year IS NULL
           OR account_age_min_year <= account_age_max_year))),
  CONSTRAINT requirements_holdton_amount CHECK (type <> 'holdton' OR ton_min_balance_nano IS NOT NULL),
  CONSTRAINT requirements_holdjetton_fields CHECK (
    type <> 'holdjetton' OR (jetton_address IS NOT NULL AND jetton_min_amount IS NOT NULL))
);
CREATE INDEX requirements_giveaway_idx ON requirements (giveaway_id);
CREATE INDEX requirements_channel_idx ON requirements (channel_id) WHERE channel_id IS NOT NULL;

-- Sponsor channels (the seed's global registry) and their link to giveaways, at most 3 each.
CREATE TABLE sponsors (
  id           bigint PRIMARY KEY,
  username     text,
  title        text NOT NULL DEFAULT '',
  avatar_url   text,
  channel_url  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER sponsors_set_updated_at BEFORE UPDATE ON sponsors FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE giveaway_sponsors (
  giveaway_id  uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  sponsor_id   bigint NOT NULL REFERENCES sponsors (id) ON DELETE RESTRICT,
  position     integer NOT NULL CHECK (position BETWEEN 0 AND 2),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (giveaway_id, sponsor_id),
  CONSTRAINT giveaway_sponsors_position_unique UNIQUE (giveaway_id, position)
);
CREATE INDEX giveaway_sponsors_sponsor_idx ON giveaway_sponsors (sponsor_id);

-- Tickets granted by admins; draw weight = 1 + count (the legacy weight-0 bug is gone). Only participants
-- hold tickets, so the FK points at participants and leaving a giveaway drops them.
CREATE TABLE tickets (
  giveaway_id  uuid NOT NULL,
  user_id      bigint NOT NULL,
  count        integer NOT NULL DEFAULT 0 CHECK (count BETWEEN 0 AND 2147483646),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (giveaway_id, user_id),
  CONSTRAINT tickets_participant_fk FOREIGN KEY (giveaway_id, user_id)
    REFERENCES participants (giveaway_id, user_id) ON DELETE CASCADE
);
CREATE INDEX tickets_user_idx ON tickets (user_id);
CREATE TRIGGER tickets_set_updated_at BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Manual winner candidates uploaded by the creator of a pending giveaway (custom requirement flow).
CREATE TABLE pre_winner_lists (
  giveaway_id  uuid PRIMARY KEY REFERENCES giveaways (id) ON DELETE CASCADE,
  user_ids     bigint[] NOT NULL,
  -- Per candidate: how it was given (id or @username).
  sources      jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL DEFAULT now() + interval '24 hours'
);

-- Draw protocol v1 §1: committed at create. server_seed stays secret until the proof is published.
CREATE TABLE draw_commitments (
  giveaway_id      uuid PRIMARY KEY REFERENCES giveaways (id) ON DELETE CASCADE,
  server_seed      bytea NOT NULL CHECK (octet_length(server_seed) = 32),
  seed_commitment  text NOT NULL CHECK (seed_commitment ~ '^[0-9a-f]{64}$'),
  beacon           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Draw protocol v1 §2: entrants frozen at close, in canonical order (user_id ascending).
CREATE TABLE draw_entrants (
  giveaway_id  uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  user_id      bigint NOT NULL,
  weight       integer NOT NULL CHECK (weight BETWEEN 1 AND 2147483647),
  PRIMARY KEY (giveaway_id, user_id)
);

-- Draw protocol v1 §5: the published proof bundle.
CREATE TABLE draw_proofs (
  giveaway_id     uuid PRIMARY KEY REFERENCES giveaways (id) ON DELETE CASCADE,
  mode            draw_mode NOT NULL,
  entrants_root   text CHECK (entrants_root IS NULL OR entrants_root ~ '^[0-9a-f]{64}$'),
  entrants_count  integer NOT NULL DEFAULT 0 CHECK (entrants_count >= 0),
  bundle          jsonb NOT NULL,
  drawn_at        timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER draw_proofs_set_updated_at BEFORE UPDATE ON draw_proofs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- API keys for third-party apps. Only a SHA-256 of the secret is stored; the prefix identifies it in lists.
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  prefix        text NOT NULL,
  secret_hash   bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CONSTRAINT api_keys_secret_hash_unique UNIQUE (secret_hash)
);
CREATE INDEX api_keys_owner_idx ON api_keys (owner_id, created_at DESC);

-- Telegram chats the bot is a member of (the legacy code queried a `channels` table no migration created).
CREATE TABLE channels (
  id                     bigint PRIMARY KEY,
  type                   text NOT NULL CHECK (type IN ('channel', 'group', 'supergroup')),
  title                  text NOT NULL DEFAULT '',
  username               text,
  invite_url             text,
  photo_file_id          text,
  photo_unique_id        text,
  bot_status             text NOT NULL DEFAULT 'member'
                           CHECK (bot_status IN ('creator', 'administrator', 'member', 'restricted', 'left', 'kicked')),
  bot_can_check_members  boolean NOT NULL DEFAULT false,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channels_username_lower_idx ON channels (lower(username)) WHERE username IS NOT NULL;
CREATE TRIGGER channels_set_updated_at BEFORE UPDATE ON channels FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Who administers each tracked channel: these users may use it for requirements and sponsors.
CREATE TABLE channel_admins (
  channel_id  bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id     bigint NOT NULL,
  status      text NOT NULL CHECK (status IN ('creator', 'administrator')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_admins_user_idx ON channel_admins (user_id);

-- Down Migration
DROP TABLE IF EXISTS channel_admins, channels, api_keys, draw_proofs, draw_entrants, draw_commitments,
  pre_winner_lists, tickets, giveaway_sponsors, sponsors, requirements, win_records, winners,
  giveaway_prizes, prizes, participants, giveaways, users CASCADE;
DROP FUNCTION IF EXISTS giveaways_notify_change, giveaways_bump_version, set_updated_at;
DROP TYPE IF EXISTS draw_mode, participant_source, winner_source, win_status, prize_type, requirement_type,
  giveaway_status, user_status, user_role;
