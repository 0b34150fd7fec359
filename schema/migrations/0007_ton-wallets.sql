-- Up Migration
-- TON Connect: wallets linked by a verified ton_proof, single-use proof payloads, and the jetton facts a
-- holdjetton requirement was created with (read from TonAPI, never from the creator's request).

-- One wallet per user (the primary key) and one user per wallet (the unique address, raw `wc:hex` form).
-- users.wallet_address stays the display copy (users/me, CSV export); requirement checks read only this table,
-- so an unverified legacy wallet_address never passes holdton/holdjetton.
CREATE TABLE ton_wallets (
  user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  address      text NOT NULL UNIQUE CHECK (address ~ '^-?[0-9]+:[0-9a-f]{64}$'),
  network      text NOT NULL CHECK (network IN ('mainnet', 'testnet')),
  public_key   text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
  verified_at  timestamptz NOT NULL DEFAULT now()
);

-- A payload is issued to one user and consumed (deleted) by the first proof that names it.
CREATE TABLE ton_proof_payloads (
  payload     text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX ton_proof_payloads_expires_idx ON ton_proof_payloads (expires_at);

ALTER TABLE requirements
  ADD COLUMN jetton_decimals smallint CHECK (jetton_decimals IS NULL OR jetton_decimals BETWEEN 0 AND 255),
  ADD COLUMN jetton_symbol text,
  ADD COLUMN jetton_image text;
