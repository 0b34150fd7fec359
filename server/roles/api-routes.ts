// Every API router, mounted in one place, from the operation table (schema/contract/operations): /api/v1,
// /api/public and /api/docs. Nothing else in the composition mounts an API route.
import type { RequestHandler } from 'express';
import { buildApiRouters, type ApiRouters } from '../api/index.ts';
import { authenticate, authHandlers } from '../auth/index.ts';
import { drawsHandlers, publicDrawsHandlers } from '../draws/index.ts';
import { exportsHandlers, publicExportHandlers } from '../exports/index.ts';
import { giveawaysHandlers } from '../giveaways/index.ts';
import { requirementsHandlers } from '../requirements/index.ts';
import { tonHandlers } from '../ton/index.ts';
import { webhooksHandlers } from '../webhooks/index.ts';
import type { Services } from './services.ts';

export type { ApiRouters };

/** `whenStarted` answers 503 until the node is ready (migrations ran, roles started). */
export function apiRouters(services: Services, whenStarted: RequestHandler): ApiRouters {
  const { auth, rateLimits, draws, requirements, giveaways, joins, telegram } = services;
  return buildApiRouters({
    handlers: {
      ...authHandlers(auth),
      ...exportsHandlers(services.exports),
      ...publicExportHandlers(services.exports),
      ...drawsHandlers(draws),
      ...publicDrawsHandlers(draws),
      ...requirementsHandlers(requirements),
      ...tonHandlers(services.ton),
      ...webhooksHandlers(services.webhooks.service),
      ...giveawaysHandlers({
        giveaways,
        joins,
        checkRequirements: (id, userId) => requirements.checkView(id, userId),
      }),
    },
    telegramHandlers: telegram?.handlers,
    authenticate: authenticate(auth),
    rateLimits: {
      join: rateLimits.join.middleware,
      create: rateLimits.create.middleware,
      probe: rateLimits.probe.middleware,
    },
    gate: whenStarted,
  });
}
