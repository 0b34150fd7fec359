// The worker role: the draw scheduler (close, freeze, draw), the claim deadline scan and, with a bot token, the notification jobs
// (winner and creator DMs, results posts).
import { callbackData } from '../bot/index.ts';
import { registerNotificationWorkers } from '../notifications/index.ts';
import type { Services } from './services.ts';
import type { Part } from './lifecycle.ts';

/** Handlers stop with the job queue, which stops after this part. */
export function notificationWorkers(services: Services): Part {
  const { telegram, config, db, jobs, logger } = services;
  return {
    name: 'notification-workers',
    start() {
      if (telegram)
        registerNotificationWorkers({
          pool: db.pool,
          service: telegram.notifications,
          telegram: telegram.client,
          jobs,
          logger,
          postResults: config.telegram.postResults,
          claimCallbackData: callbackData.claim,
          ...(telegram.workOptions ? { workOptions: telegram.workOptions } : {}),
        });
      return Promise.resolve();
    },
    stop: () => Promise.resolve(),
  };
}

export function drawSchedulerPart(services: Services): Part {
  const { scheduler } = services;
  return {
    name: 'draw-scheduler',
    start() {
      // The scheduler's closes hash on these threads; started now, the first close does not wait for them.
      services.draws.closing.warm();
      scheduler?.start();
      return Promise.resolve();
    },
    // Stops before the pool closes: aborts draws in progress and releases their leases.
    stop: () => (scheduler ? scheduler.stop() : Promise.resolve()),
  };
}

/** The claim deadline scan; it enqueues winner DMs, so it starts after the job queue and stops before it. */
export function claimDeadlinePart(services: Services): Part {
  const { claimSweeper } = services;
  return {
    name: 'claim-deadlines',
    start() {
      claimSweeper?.start();
      return Promise.resolve();
    },
    stop: () => (claimSweeper ? claimSweeper.stop() : Promise.resolve()),
  };
}

/**
 * The node's LISTEN connection. It starts before the scheduler and the relay and stops after them. Every
 * change wakes this node's scheduler, whether or not the node runs realtime; the scheduler's poll is the
 * backstop while the connection is down.
 */
export function changeFeedPart(services: Services): Part {
  const { feed, scheduler } = services;
  return {
    name: 'change-feed',
    start() {
      if (scheduler) feed?.onChange(() => scheduler.nudge(), { coalesceMs: 20 });
      feed?.start(); // connects in the background and keeps reconnecting
      return Promise.resolve();
    },
    stop: () => (feed ? feed.stop() : Promise.resolve()),
  };
}

/** Webhook deliveries: the pump and the job handler. Starts after the job queue and stops before it. */
export function webhookWorkers(services: Services): Part {
  const { webhooks } = services;
  return {
    name: 'webhook-workers',
    start() {
      webhooks.startWorkers();
      return Promise.resolve();
    },
    stop: () => webhooks.stopWorkers(),
  };
}
