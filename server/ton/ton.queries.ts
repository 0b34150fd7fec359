// SQL of TON wallets and proof payloads. A payload is consumed by deleting it, so a replay finds nothing.
import * as db from 'zapatos/db';
import type * as s from 'zapatos/schema';

export function insertPayload(client: db.Queryable, payload: string, userId: number, expiresAt: Date) {
  return db.insert('ton_proof_payloads', { payload, user_id: userId, expires_at: expiresAt }).run(client);
}

/** The payload's owner and expiry, deleting it (single use); also sweeps expired payloads. */
export async function consumePayload(
  client: db.Queryable,
  payload: string,
): Promise<{ userId: number; expiresAt: Date } | null> {
  await db.sql`DELETE FROM ${'ton_proof_payloads'} WHERE ${'expires_at'} < now() - interval '1 hour'`.run(
    client,
  );
  const rows = await db.deletes('ton_proof_payloads', { payload }).run(client);
  const row = rows[0];
  return row ? { userId: Number(row.user_id), expiresAt: new Date(row.expires_at) } : null;
}

export function selectWallet(client: db.Queryable, userId: number) {
  return db.selectOne('ton_wallets', { user_id: userId }).run(client);
}

export function selectWalletOwner(client: db.Queryable, address: string) {
  return db.selectOne('ton_wallets', { address }, { columns: ['user_id'] }).run(client);
}

/** Replaces the user's wallet; the caller has checked the address is not another user's (UNIQUE enforces it). */
export async function upsertWallet(
  client: db.Queryable,
  row: s.ton_wallets.Insertable,
  display: string,
): Promise<void> {
  await db.upsert('ton_wallets', { ...row, verified_at: db.sql`now()` }, 'user_id').run(client);
  await db.update('users', { wallet_address: display }, { id: row.user_id }).run(client);
  // An unverified legacy copy of this wallet on another user no longer shows there.
  await db.sql`UPDATE ${'users'} u SET ${'wallet_address'} = NULL
    WHERE lower(u.${'wallet_address'}) = lower(${db.param(display)}) AND u.${'id'} <> ${db.param(row.user_id)}
      AND NOT EXISTS (SELECT 1 FROM ${'ton_wallets'} w WHERE w.${'user_id'} = u.${'id'})`.run(client);
}

export async function deleteWallet(client: db.Queryable, userId: number): Promise<boolean> {
  const rows = await db.deletes('ton_wallets', { user_id: userId }).run(client);
  await db.update('users', { wallet_address: null }, { id: userId }).run(client);
  return rows.length > 0;
}
