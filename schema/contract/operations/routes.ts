// Where each HTTP operation lives: id → method, path, auth kind, rate-limit policy. Plain data without zod, so
// the SDK can take its REST paths from here and stay small; the zod schemas of each operation are keyed by the
// same ids in ./schemas.ts, and a missing or extra entry there is a type error. The order is the mount order:
// static segments (`/giveaways/me/all`, `/giveaways/manual-candidates/preview`) come before `/:id` routes.

/**
 * `user`: init-data (X-Telegram-Init-Data, `Authorization: tma …`, ?init_data=) or an API key (`Authorization:
 * Bearer …`); banned users may read but not mutate. `public`: no credential (under /api/public).
 */
export type AuthKind = 'user' | 'public';

/**
 * The rate-limited actions; one point per user and one per IP (RATE_LIMIT_* settings). `probe`: lookups of
 * arbitrary channels that may reach the Bot API on a cache miss.
 */
export type RateLimitPolicy = 'join' | 'create' | 'probe';

export type HttpMethod = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';

export interface OperationRoute {
  method: HttpMethod;
  /** Express-style path from the server root, e.g. /api/v1/giveaways/:id */
  path: string;
  auth: AuthKind;
  rateLimit?: RateLimitPolicy;
  /** Only served when the server has a bot token (Telegram features). */
  telegram?: true;
  tag: string;
  summary: string;
}

const user = (method: HttpMethod, path: string, tag: string, summary: string) =>
  ({ method, path: `/api/v1${path}`, auth: 'user', tag, summary }) as const;
const pub = (method: HttpMethod, path: string, tag: string, summary: string) =>
  ({ method, path: `/api/public${path}`, auth: 'public', tag, summary }) as const;

export const OPERATION_ROUTES = {
  // auth
  getMe: user('get', '/users/me', 'users', 'The caller, upserted from init-data'),
  setUserStatus: user('put', '/users/:id/status', 'users', 'Ban or unban a user (admin)'),
  createApiKey: user('post', '/api-keys', 'api-keys', 'Create an API key; the secret is returned once'),
  listApiKeys: user('get', '/api-keys', 'api-keys', "The caller's API keys (no secrets)"),
  revokeApiKey: user('delete', '/api-keys/:id', 'api-keys', 'Revoke an API key'),
  // exports
  downloadWinnersCsv: user('get', '/giveaways/:id/stats.csv', 'exports', 'Winners as CSV (owner)'),
  createExportLink: user(
    'get',
    '/giveaways/:id/export-link',
    'exports',
    'A one-time public CSV link (owner)',
  ),
  // draws
  previewManualCandidates: user(
    'post',
    '/giveaways/manual-candidates/preview',
    'draws',
    'Check a winners list before the giveaway exists (multipart `file` or text/plain)',
  ),
  getProof: user('get', '/giveaways/:id/proof', 'draws', 'The proof bundle of a drawn giveaway'),
  listEntrants: user('get', '/giveaways/:id/entrants', 'draws', 'Frozen entrants: keyset pages or NDJSON'),
  getInclusionProof: user(
    'get',
    '/giveaways/:id/inclusion-proof',
    'draws',
    "An entrant's Merkle inclusion proof (the caller by default)",
  ),
  getInclusion: user('get', '/giveaways/:id/inclusion/:user_id', 'draws', "An entrant's inclusion proof"),
  rerollWinner: user('post', '/giveaways/:id/winners/:place/reroll', 'draws', 'Replace a winner (owner)'),
  claimGiveaway: user('post', '/giveaways/:id/claim', 'draws', 'Claim the place the caller won'),
  extendClaim: user(
    'post',
    '/giveaways/:id/winners/:place/extend-claim',
    'draws',
    "Extend a winner's claim window, once (owner)",
  ),
  uploadManualCandidates: user(
    'post',
    '/giveaways/:id/manual-candidates',
    'draws',
    'Load the winners of a manual giveaway (multipart `file` or text/plain)',
  ),
  listLoadedWinners: user('get', '/giveaways/:id/list-loaded-winners', 'draws', 'The loaded manual winners'),
  clearLoadedWinners: user(
    'delete',
    '/giveaways/:id/loaded-winners',
    'draws',
    'Clear the loaded manual winners',
  ),
  // channels (Telegram)
  listMyChannels: {
    ...user('get', '/users/me/channels', 'channels', 'Channels where the caller added the bot'),
    telegram: true,
  },
  checkChannelsBulk: {
    ...user('post', '/requirements/channels/check-bulk', 'channels', 'Is the bot admin in these channels?'),
    rateLimit: 'probe',
    telegram: true,
  },
  getChannelInfo: {
    ...user('get', '/channels/:username/info', 'channels', 'A public channel by username'),
    rateLimit: 'probe',
    telegram: true,
  },
  // notifications (Telegram)
  listNotifications: {
    ...user('get', '/giveaways/:id/notifications', 'notifications', 'Per-recipient delivery status (owner)'),
    telegram: true,
  },
  prepareShareMessage: {
    ...user('post', '/giveaways/:id/prepare-message', 'notifications', 'A prepared message for shareMessage'),
    telegram: true,
  },
  // requirements
  listRequirementTemplates: user(
    'get',
    '/requirements/templates',
    'requirements',
    'Requirement types accepted',
  ),
  listPrizeTemplates: user('get', '/prizes/templates', 'requirements', 'Prize templates'),
  // giveaways
  createGiveaway: { ...user('post', '/giveaways', 'giveaways', 'Create a giveaway'), rateLimit: 'create' },
  listGiveaways: user('get', '/giveaways', 'giveaways', 'Active giveaways by participants, then newest'),
  listMyGiveaways: user('get', '/giveaways/me/all', 'giveaways', "The caller's giveaways"),
  listMyActiveGiveaways: user('get', '/giveaways/me/active', 'giveaways', "The caller's live giveaways"),
  listMyFinishedGiveaways: user(
    'get',
    '/giveaways/me/history',
    'giveaways',
    "The caller's finished giveaways",
  ),
  listMyParticipations: user(
    'get',
    '/giveaways/me/participated',
    'giveaways',
    'Live giveaways the caller joined',
  ),
  listMyParticipationHistory: user(
    'get',
    '/giveaways/me/participation/history',
    'giveaways',
    'Finished giveaways the caller joined',
  ),
  listCreatorGiveaways: user(
    'get',
    '/users/:creator_id/giveaways',
    'giveaways',
    "A creator's live giveaways",
  ),
  listCreatorFinishedGiveaways: user(
    'get',
    '/users/:creator_id/giveaways/finished',
    'giveaways',
    "A creator's finished giveaways",
  ),
  getGiveaway: user('get', '/giveaways/:id', 'giveaways', 'One giveaway, as the caller sees it'),
  updateGiveaway: user('put', '/giveaways/:id', 'giveaways', 'Edit a giveaway (owner)'),
  deleteGiveaway: user('delete', '/giveaways/:id', 'giveaways', 'Delete a giveaway (owner)'),
  setGiveawayStatus: user('patch', '/giveaways/:id/status', 'giveaways', 'Change the status (owner)'),
  cancelGiveaway: user('post', '/giveaways/:id/cancel', 'giveaways', 'Cancel a giveaway (owner)'),
  recreateGiveaway: user(
    'post',
    '/giveaways/:id/recreate',
    'giveaways',
    'Copy a giveaway as a new one (owner)',
  ),
  joinGiveaway: {
    ...user('post', '/giveaways/:id/join', 'giveaways', 'Join (idempotent)'),
    rateLimit: 'join',
  },
  addTickets: user('post', '/giveaways/:id/tickets', 'giveaways', 'Give a participant extra tickets (owner)'),
  checkRequirements: user(
    'get',
    '/giveaways/:id/check-requirements',
    'giveaways',
    "The caller's standing against each requirement",
  ),
  // TON: TON Connect proof, the caller's wallet, standalone balance checks (served by TonAPI, cached)
  generateTonProofPayload: user(
    'get',
    '/ton-proof/generatePayload',
    'ton',
    'A single-use TON Connect proof payload for the caller',
  ),
  checkTonProof: user('post', '/ton-proof/checkProof', 'ton', 'Verify a TON Connect proof; links the wallet'),
  unlinkWallet: user('delete', '/users/me/wallet', 'ton', "Unlink the caller's wallet"),
  checkHoldTon: user(
    'post',
    '/requirements/holdton/check',
    'ton',
    "Does the caller's wallet hold this much TON?",
  ),
  checkHoldJetton: user(
    'post',
    '/requirements/holdjetton/check',
    'ton',
    "Does the caller's wallet hold this much of a jetton?",
  ),
  getJettonMetadata: user(
    'get',
    '/jettons/:address/metadata',
    'ton',
    "A jetton's symbol, decimals and image",
  ),
  // webhooks (API-key callers only: each endpoint belongs to the key that registered it)
  createWebhook: user('post', '/webhooks', 'webhooks', 'Register an endpoint; its secret is returned once'),
  listWebhooks: user('get', '/webhooks', 'webhooks', "The API key's endpoints"),
  getWebhook: user('get', '/webhooks/:id', 'webhooks', 'One endpoint'),
  deleteWebhook: user('delete', '/webhooks/:id', 'webhooks', 'Remove an endpoint'),
  rotateWebhookSecret: user(
    'post',
    '/webhooks/:id/rotate-secret',
    'webhooks',
    'A new secret; the old one keeps signing for the overlap',
  ),
  setWebhookEnabled: user('post', '/webhooks/:id/enabled', 'webhooks', 'Enable or disable an endpoint'),
  listWebhookDeliveries: user(
    'get',
    '/webhooks/:id/deliveries',
    'webhooks',
    'The delivery log, newest first',
  ),
  redeliverWebhook: user(
    'post',
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    'webhooks',
    'Send a delivery again (same webhook-id)',
  ),
  // public: exports (the token is the credential), proofs, avatars
  peekExport: pub('head', '/giveaways/export/:token', 'exports', 'Probe a CSV link without spending it'),
  redeemExport: pub('get', '/giveaways/export/:token', 'exports', 'Download the CSV once'),
  getPublicCommitment: pub('get', '/giveaways/:id/commitment', 'draws', 'The draw commitment (public)'),
  getPublicProof: pub('get', '/giveaways/:id/proof', 'draws', 'The proof bundle (public)'),
  listPublicEntrants: pub('get', '/giveaways/:id/entrants', 'draws', 'Frozen entrants (public)'),
  getPublicClaims: pub(
    'get',
    '/giveaways/:id/claims',
    'draws',
    "Each place's holder and claim state (public)",
  ),
  getPublicInclusion: pub(
    'get',
    '/giveaways/:id/inclusion/:user_id',
    'draws',
    "An entrant's inclusion proof",
  ),
  getChannelAvatar: {
    ...pub('get', '/channels/:chat/avatar', 'channels', "A chat's avatar (ETag, cached a day)"),
    telegram: true,
  },
} as const satisfies Record<string, OperationRoute>;

export type OperationId = keyof typeof OPERATION_ROUTES;

/** Fills `:name` segments, URL-encoding each value. */
export function operationPath(id: OperationId, params: Record<string, string | number> = {}): string {
  return OPERATION_ROUTES[id].path.replace(/:([A-Za-z_]+)/g, (_m, name: string) =>
    encodeURIComponent(String(params[name])),
  );
}

/** Operations served only with a bot token (channels, notifications, avatars). */
export type TelegramOperationId = {
  [K in OperationId]: (typeof OPERATION_ROUTES)[K] extends { telegram: true } ? K : never;
}[OperationId];
