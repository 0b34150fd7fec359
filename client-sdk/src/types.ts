// Wire shapes the SDK uses that schema/contract does not declare yet (users, API keys, tickets, join results).
// They mirror what the server sends today; they belong in the contract.

/**
 * `GET /api/v1/users/me`.
 *
 * @example
 * const me: User = await client.users.me();
 */
export interface User {
  id: number;
  username: string;
  first_name: string;
  last_name: string | null;
  avatar_url: string;
  is_premium: boolean;
  role: 'user' | 'admin';
  status: 'active' | 'banned';
  wallet_address: string;
}

/**
 * `PUT /api/v1/users/:id/status`.
 *
 * @example
 * const status: UserStatus = await client.users.setStatus(42, 'active');
 */
export interface UserStatus {
  id: number;
  username: string | null;
  status: 'active' | 'banned';
  role: string;
}

/**
 * An API key as listed (the secret is never shown again).
 *
 * @example
 * const keys: ApiKey[] = await client.apiKeys.list();
 */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at?: string | null;
}

/**
 * `POST /api/v1/api-keys`: the only time the secret `key` is returned.
 *
 * @example
 * const { key }: CreatedApiKey = await client.apiKeys.create('overlay');
 */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

/**
 * `POST /api/v1/giveaways/:id/tickets`.
 *
 * @example
 * const { weight }: TicketsResult = await client.giveaways.grantTickets(id, { user_id: 7, ticket_count: 1 });
 */
export interface TicketsResult {
  giveaway_id: string;
  user_id: number;
  tickets: number;
  weight: number;
}

/**
 * A join over REST or the socket; repeating a join is success (`already_joined`).
 *
 * @example
 * const { status }: JoinResult = await client.join(id);
 */
export interface JoinResult {
  status: 'joined' | 'already_joined';
}
