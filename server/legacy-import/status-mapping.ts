// Legacy status → ours (reference/legacy-system.md §2.1–2.2, §8 migration notes). The JSON status is the
// truth; the status sets drift and are only reported. A draw that left winners counts as done whatever the
// status says (the legacy completion pipeline was not atomic), and anything not finished without winners
// becomes `active`, so our scheduler closes and draws it (again) once it is past its end.
import type * as s from 'zapatos/schema';

export type LegacyStatus =
  'active' | 'pending' | 'processing' | 'expired' | 'completed' | 'history' | 'cancelled' | 'custom';

const KNOWN = new Set<string>([
  'active',
  'pending',
  'processing',
  'expired',
  'completed',
  'history',
  'cancelled',
  'custom',
]);

export function isLegacyStatus(value: unknown): value is LegacyStatus {
  return typeof value === 'string' && KNOWN.has(value);
}

export function mapStatus(legacy: LegacyStatus, hasWinners: boolean): s.giveaway_status {
  switch (legacy) {
    case 'completed':
    case 'history':
      return 'completed';
    case 'cancelled':
      // Cancelling was only possible while active, before any draw.
      return 'cancelled';
    case 'custom':
      // Waiting for the creator's manual winners: our `pending`, with the 24 h fallback draw after it.
      return hasWinners ? 'completed' : 'pending';
    case 'active':
    case 'pending':
    case 'processing':
    case 'expired':
      return hasWinners ? 'completed' : 'active';
  }
}

/** Which status set the legacy code filed a giveaway of this JSON status under (for the drift check). */
export function expectedStatusSet(legacy: LegacyStatus): string | null {
  switch (legacy) {
    case 'active':
      return 'active';
    case 'pending':
      return 'pending';
    case 'completed':
    case 'history':
    case 'cancelled':
      return 'history';
    default:
      return null; // custom/processing/expired were never re-filed consistently.
  }
}
