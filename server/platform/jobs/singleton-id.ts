// Idempotent enqueue: a job given a singletonKey gets an id derived from (queue, key), so a second insert of
// the same logical job collides on pg-boss's primary key instead of creating a twin. (pg-boss 10's own
// singletonKey only deduplicates for the 'short'/'singleton' policies or within a throttle window.)
import { createHash } from 'node:crypto';

export function singletonJobId(queue: string, key: string): string {
  const bytes = createHash('sha256').update(queue).update('\0').update(key).digest().subarray(0, 16);
  // Mark it as an RFC 9562 UUIDv8 (custom, hash-based) so it never looks like a random v4 id.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
