// The workers of the three Telegram job queues. Payloads come from other capabilities (server/draws writes
// notify-winner and notify-creator, server/channels writes channel_lost, the completed handler writes
// post-results): each is validated, rendered from the current giveaway, and delivered through the ledger.
import * as db from 'zapatos/db';
import type pg from 'pg';
import { z } from 'zod';
import type { NotificationKind } from '../../schema/contract/telegram.ts';
import type { Logger } from '../platform/index.ts';
import type { Job, JobName, WorkOptions } from '../platform/jobs/index.ts';
import type { JobEnqueuer } from '../channels/index.ts';
import {
  channelLostMessage,
  creatorCompletedMessage,
  creatorPendingMessage,
  resultsPostMessage,
  winnerMessage,
  type OutgoingMessage,
} from './message-templates.ts';
import * as q from './notifications.queries.ts';
import type { NotificationsService, NotifyTelegram } from './notifications.service.ts';

const Id = z.number().int().refine(Number.isSafeInteger);

const WinnerJob = z.object({
  giveaway_id: z.uuid(),
  user_id: Id.positive(),
  place: z.number().int().min(1),
  prizes: z
    .array(
      z.object({
        title: z.string(),
        description: z.string().nullish(),
        quantity: z.number().int().nullish(),
      }),
    )
    .max(1000)
    .default([]),
});

const CreatorJob = z.object({
  giveaway_id: z.uuid(),
  creator_id: Id.positive().optional(),
  kind: z.enum(['pending', 'completed', 'channel_lost']),
  winners: z.number().int().min(0).optional(),
  entrants: z.number().int().min(0).optional(),
  deadline: z.string().optional(),
  channel_id: Id.optional(),
});

const ResultsJob = z.object({ giveaway_id: z.uuid(), channel_id: Id });

const CREATOR_KINDS: Record<z.infer<typeof CreatorJob>['kind'], NotificationKind> = {
  pending: 'creator_pending',
  completed: 'creator_completed',
  channel_lost: 'channel_lost',
};

export interface NotificationWorkersDeps {
  pool: pg.Pool;
  service: NotificationsService;
  telegram: NotifyTelegram;
  jobs: JobEnqueuer & { work(name: JobName, handler: (job: Job) => Promise<void>, opts?: WorkOptions): void };
  logger: Logger;
  /** Post the results in the giveaway's sponsor channels when it completes. */
  postResults: boolean;
  /** The Claim button's callback data (server/bot's callbackData.claim), for giveaways with a claim window. */
  claimCallbackData?: (giveawayId: string) => string;
  workOptions?: WorkOptions;
}

export function registerNotificationWorkers(deps: NotificationWorkersDeps): void {
  const log = deps.logger.child({ module: 'notification-jobs' });
  const opts: WorkOptions = { batchSize: 5, ...deps.workOptions };
  const context = (job: Job) => ({
    name: job.name,
    data: job.data,
    finalAttempt: job.retryCount >= job.retryLimit,
  });
  const giveaway = (id: string) => q.selectGiveaway(deps.pool, id);

  /** A payload we cannot read will not get better by retrying: log it and let the job complete. */
  const parse = <T extends z.ZodType>(schema: T, job: Job): z.output<T> | undefined => {
    const parsed = schema.safeParse(job.data);
    if (parsed.success) return parsed.data;
    log.error({ queue: job.name, jobId: job.id, issues: parsed.error.issues }, 'Malformed notification job');
    return undefined;
  };

  deps.jobs.work(
    'notify-winner',
    async (job) => {
      const data = parse(WinnerJob, job);
      if (!data) return;
      const key = { giveawayId: data.giveaway_id, kind: 'winner' as const, recipientId: data.user_id };
      await deps.service.deliver(
        key,
        async () => {
          const g = await giveaway(data.giveaway_id);
          if (!g) return null;
          const link = await deps.telegram.appLink(g.id);
          // Read when sending: the window is the holder's own (a reserve's starts at its reroll).
          const window = await q.selectClaimWindow(deps.pool, g.id, data.user_id);
          const claim =
            window?.deadline && !window.claimed && deps.claimCallbackData
              ? { deadline: window.deadline, callbackData: deps.claimCallbackData(g.id) }
              : undefined;
          return winnerMessage({
            title: g.title,
            place: data.place,
            prizes: data.prizes,
            link,
            ...(claim ? { claim } : {}),
          });
        },
        context(job),
      );
    },
    opts,
  );

  deps.jobs.work(
    'notify-creator',
    async (job) => {
      const data = parse(CreatorJob, job);
      if (!data) return;
      const g = await giveaway(data.giveaway_id);
      if (!g) return;
      if (data.kind === 'completed' && deps.postResults) await enqueueResultsPosts(deps, g.id);
      const key = {
        giveawayId: g.id,
        kind: CREATOR_KINDS[data.kind],
        recipientId: data.creator_id ?? g.creator_id,
      };
      await deps.service.deliver(key, () => renderForCreator(deps, data, g), context(job));
    },
    opts,
  );

  deps.jobs.work(
    'post-results',
    async (job) => {
      const data = parse(ResultsJob, job);
      if (!data) return;
      const key = {
        giveawayId: data.giveaway_id,
        kind: 'results_post' as const,
        recipientId: data.channel_id,
      };
      await deps.service.deliver(
        key,
        async () => {
          const g = await giveaway(data.giveaway_id);
          if (!g) return null;
          const winners = await q.selectWinners(deps.pool, g.id);
          const link = await deps.telegram.appLink(g.id);
          return resultsPostMessage({ title: g.title, participants: g.participants_count, winners, link });
        },
        context(job),
      );
    },
    { ...opts, batchSize: 1 },
  );
}

async function renderForCreator(
  deps: NotificationWorkersDeps,
  data: z.infer<typeof CreatorJob>,
  g: { id: string; title: string; participants_count: number },
): Promise<OutgoingMessage> {
  const link = await deps.telegram.appLink(g.id);
  switch (data.kind) {
    case 'pending':
      return creatorPendingMessage({
        title: g.title,
        entrants: data.entrants ?? g.participants_count,
        deadline: data.deadline ?? null,
        link,
      });
    case 'completed':
      return creatorCompletedMessage({ title: g.title, winners: data.winners ?? 0, link });
    case 'channel_lost':
      return channelLostMessage({
        title: g.title,
        channels: await q.selectUncheckableChannels(deps.pool, g.id),
        link,
      });
  }
}

/** One job per sponsor channel, idempotent by key, so a redelivered completion posts nothing twice. */
async function enqueueResultsPosts(deps: NotificationWorkersDeps, giveawayId: string): Promise<void> {
  const channels = await q.selectSponsorChannelIds(deps.pool, giveawayId);
  if (channels.length === 0) return;
  await db.readCommitted(deps.pool, async (tx) => {
    for (const channelId of channels) {
      await deps.jobs.enqueue(
        tx,
        'post-results',
        { giveaway_id: giveawayId, channel_id: channelId },
        { singletonKey: `${giveawayId}:results:${channelId}` },
      );
    }
  });
}
