// What channels needs from the Bot API: a structural slice of TelegramClient, so tests and other callers can
// pass anything with these methods, and this folder never imports grammY at runtime.
import type { TelegramClient } from '../platform/telegram/index.ts';
import type * as db from 'zapatos/db';
import type { JobData, JobName } from '../platform/jobs/index.ts';

export type ChannelsTelegram = Pick<
  TelegramClient,
  | 'botId'
  | 'getChat'
  | 'getChatMember'
  | 'getChatAdministrators'
  | 'getUserChatBoosts'
  | 'getFile'
  | 'downloadFile'
  | 'forgetChat'
>;

/** The job queue's enqueue (server/platform/jobs JobQueue satisfies it). */
export interface JobEnqueuer {
  enqueue(
    tx: db.Queryable,
    name: JobName,
    data: JobData,
    options?: { singletonKey?: string; startAfter?: Date },
  ): Promise<string>;
}

/** Statuses in which the bot can ask getChatMember / getUserChatBoosts about other users. */
export const CAN_CHECK_MEMBERS = new Set(['creator', 'administrator']);
