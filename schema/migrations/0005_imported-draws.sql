-- Up Migration
-- Draws that happened in the legacy Redis-era system (server/legacy-import): their winners are imported with a
-- proof row whose bundle lists them and says where they came from, but claims no seed or randomness.
-- ADD VALUE may run inside the migration transaction as long as nothing uses the value in that transaction.
ALTER TYPE draw_mode ADD VALUE IF NOT EXISTS 'imported';

-- Down Migration
-- Enum values cannot be dropped: rebuild the type without 'imported' (imported proofs go with it).
DELETE FROM draw_proofs WHERE mode::text = 'imported';
ALTER TYPE draw_mode RENAME TO draw_mode_with_imported;
CREATE TYPE draw_mode AS ENUM ('random', 'manual');
ALTER TABLE draw_proofs ALTER COLUMN mode TYPE draw_mode USING mode::text::draw_mode;
DROP TYPE draw_mode_with_imported;
