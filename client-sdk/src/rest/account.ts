// REST methods around giveaways: the caller and bans, API keys, create-screen templates, and winners exports.
import type { ExportLinkResponse, PrizeTemplate, RequirementTemplate } from '../contract.ts';
import type { Http } from '../http.ts';
import type { ApiKey, CreatedApiKey, User, UserStatus } from '../types.ts';

/** `client.users`. @example const me = await client.users.me() */
export interface UsersApi {
  /** `GET /users/me`. @example const { id, username } = await client.users.me() */
  me(): Promise<User>;
  /** `PUT /users/:id/status` (admin). @example await client.users.setStatus(42, 'banned') */
  setStatus(userId: number, status: 'active' | 'banned'): Promise<UserStatus>;
}

/** `client.apiKeys` (only from a Telegram session). @example const { key } = await client.apiKeys.create('overlay') */
export interface ApiKeysApi {
  /** `POST /api-keys`; `key` is shown only here. @example const { key } = await client.apiKeys.create('bot') */
  create(name: string): Promise<CreatedApiKey>;
  /** `GET /api-keys`. @example const keys = await client.apiKeys.list() */
  list(): Promise<ApiKey[]>;
  /** `DELETE /api-keys/:id`. @example await client.apiKeys.revoke(keyId) */
  revoke(id: string): Promise<void>;
}

/** `client.templates`. @example const types = await client.templates.requirements() */
export interface TemplatesApi {
  /** `GET /requirements/templates`. @example await client.templates.requirements() */
  requirements(): Promise<RequirementTemplate[]>;
  /** `GET /prizes/templates`. @example await client.templates.prizes() */
  prizes(): Promise<PrizeTemplate[]>;
}

/** `client.exports`: the owner's winners CSV. @example const { url } = await client.exports.link(id) */
export interface ExportsApi {
  /** `GET /giveaways/:id/stats.csv` (owner). @example const csv = await client.exports.csv(id) */
  csv(id: string): Promise<string>;
  /** `GET /giveaways/:id/export-link`: a one-time URL valid `expires_in` s. @example window.open((await client.exports.link(id)).url) */
  link(id: string): Promise<ExportLinkResponse>;
  /** Downloads a one-time link (no credential needed; works once). @example const csv = await client.exports.download(url) */
  download(url: string): Promise<string>;
}

export function usersApi(http: Http): UsersApi {
  return {
    me: async () => (await http.op<User>('getMe')).data,
    setStatus: async (userId, status) =>
      (await http.op<UserStatus>('setUserStatus', { id: userId }, { json: { status } })).data,
  };
}

export function apiKeysApi(http: Http): ApiKeysApi {
  return {
    create: async (name) => (await http.op<CreatedApiKey>('createApiKey', {}, { json: { name } })).data,
    list: async () => (await http.op<ApiKey[]>('listApiKeys')).data,
    revoke: async (id) => {
      await http.op('revokeApiKey', { id }, { as: 'none' });
    },
  };
}

export function templatesApi(http: Http): TemplatesApi {
  return {
    requirements: async () => (await http.op<RequirementTemplate[]>('listRequirementTemplates')).data,
    prizes: async () => (await http.op<PrizeTemplate[]>('listPrizeTemplates')).data,
  };
}

export function exportsApi(http: Http): ExportsApi {
  const text = { as: 'text', headers: { Accept: 'text/csv' } } as const;
  return {
    csv: async (id) => (await http.op<string>('downloadWinnersCsv', { id }, text)).data,
    link: async (id) => (await http.op<ExportLinkResponse>('createExportLink', { id })).data,
    download: async (url) => (await http.request<string>('GET', url, { ...text, auth: false })).data,
  };
}
