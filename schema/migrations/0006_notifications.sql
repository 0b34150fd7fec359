-- Up Migration
-- Durable Telegram side effects (server/notifications): one row per (giveaway, kind, recipient) records the
-- intent before a message is sent and the Telegram message id after, so a redelivered job skips recipients
-- already served and the owner can see who was reached. Plus the order in which a user gained a channel.

-- queued: not tried yet, or waiting to retry; sending: claimed by a worker (intent recorded, outcome not yet
-- known); sent: Telegram accepted it; failed: gave up (permanent error or retries exhausted); blocked: the
-- recipient blocked the bot or cannot be messaged (403), never retried.
CREATE TYPE notification_status AS ENUM ('queued', 'sending', 'sent', 'failed', 'blocked');

CREATE TABLE notifications (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  giveaway_id          uuid NOT NULL REFERENCES giveaways (id) ON DELETE CASCADE,
  -- winner, creator_pending, creator_completed, channel_lost, results_post.
  kind                 text NOT NULL CHECK (kind ~ '^[a-z_]{1,32}$'),
  -- The chat the message goes to: a user id for DMs, a (negative) chat id for channel posts.
  recipient_id         bigint NOT NULL,
  status               notification_status NOT NULL DEFAULT 'queued',
  attempts             integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error           text CHECK (last_error IS NULL OR char_length(last_error) <= 500),
  -- When the current claim was taken; a claim older than the lease is presumed dead (crashed worker).
  claimed_at           timestamptz,
  -- Earliest next try after a 429 retry_after (informational; the job itself is deferred).
  next_attempt_at      timestamptz,
  sent_at              timestamptz,
  telegram_message_id  bigint,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_recipient_unique UNIQUE (giveaway_id, kind, recipient_id),
  CONSTRAINT notifications_sent_has_time CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);
CREATE TRIGGER notifications_set_updated_at BEFORE UPDATE ON notifications
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- "Newest appended last" in GET /users/me/channels: when this user became known as an admin of the channel.
ALTER TABLE channel_admins ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX channel_admins_user_created_idx ON channel_admins (user_id, created_at, channel_id);

-- Down Migration
DROP INDEX IF EXISTS channel_admins_user_created_idx;
ALTER TABLE channel_admins DROP COLUMN IF EXISTS created_at;
DROP TABLE IF EXISTS notifications;
DROP TYPE IF EXISTS notification_status;
