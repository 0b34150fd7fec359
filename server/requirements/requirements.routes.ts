// HTTP routes of requirements: the create screen's pickers. check-requirements is mounted by giveaways
// (it needs the giveaway first) and calls RequirementsService.checkView.
import { Router } from 'express';
import type { RequirementsService } from './requirements.service.ts';

export function requirementsRoutes(service: RequirementsService): Router {
  const router = Router();
  router.get('/requirements/templates', (_req, res) => {
    res.json(service.templates());
  });
  router.get('/prizes/templates', (_req, res) => {
    res.json(service.prizeTemplates());
  });
  return router;
}
