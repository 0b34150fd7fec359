// Wire shapes of the winners export: the CSV's columns, the one-time download link and its token.
import { z } from 'zod';

/** Column order of the winners CSV (legacy HEAD stats.csv). */
export const WINNERS_CSV_COLUMNS = [
  'place',
  'user_id',
  'username',
  'first_name',
  'last_name',
  'wallet_address',
  'prize_title',
  'prize_description',
  'prize_quantity',
] as const;

/** GET /api/v1/giveaways/:id/export-link. `url` needs no auth header; it works once, within `expires_in` s. */
export const ExportLinkResponse = z.object({
  url: z.url(),
  expires_in: z.number().int().positive(),
});
export type ExportLinkResponse = z.infer<typeof ExportLinkResponse>;

/** 32 random bytes, base64url without padding. */
export const ExportToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an export token');
