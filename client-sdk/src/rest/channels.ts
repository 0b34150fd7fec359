// REST methods of the Telegram side: the caller's channels, the bot-presence probe, public channel info and
// the proxied channel avatar (present when the server runs with a bot token).
import { operationPath } from '../contract.ts';
import type { ChannelInfo, CheckBulkBody, CheckBulkResponse } from '../contract.ts';
import type { Http } from '../http.ts';

/**
 * `client.channels`.
 *
 * @example
 * const channels = await client.channels.mine();
 * img.src = client.channels.avatarUrl('@durov');
 */
export interface ChannelsApi {
  /** `GET /users/me/channels`: channels the caller administers with the bot added. @example await client.channels.mine() */
  mine(): Promise<ChannelInfo[]>;
  /** `POST /requirements/channels/check-bulk`: can the bot check members? @example await client.channels.checkBulk({ usernames: ['news'] }) */
  checkBulk(body: CheckBulkBody): Promise<CheckBulkResponse>;
  /** `GET /channels/:username/info`. @example const { title } = await client.channels.info('telegram') */
  info(username: string): Promise<ChannelInfo>;
  /** The URL of `GET /api/public/channels/:chat/avatar` (no credential needed), for an `<img>`. @example client.channels.avatarUrl(-1001234567890) */
  avatarUrl(chat: string | number): string;
}

export function channelsApi(http: Http, baseUrl: string): ChannelsApi {
  return {
    mine: async () => (await http.op<ChannelInfo[]>('listMyChannels')).data,
    checkBulk: async (body) =>
      (await http.op<CheckBulkResponse>('checkChannelsBulk', {}, { json: body })).data,
    info: async (username) =>
      (await http.op<ChannelInfo>('getChannelInfo', { username: username.replace(/^@/, '') })).data,
    avatarUrl: (chat) => baseUrl.replace(/\/+$/, '') + operationPath('getChannelAvatar', { chat }),
  };
}
