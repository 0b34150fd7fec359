// HTTP operations of requirements: the create screen's pickers. check-requirements belongs to giveaways
// (it needs the giveaway first) and calls RequirementsService.checkView.
import { defineHandlers } from '../platform/http/operation-router.ts';
import type { RequirementsService } from './requirements.service.ts';

export type RequirementsOperationId = 'listRequirementTemplates' | 'listPrizeTemplates';

export function requirementsHandlers(service: RequirementsService) {
  return defineHandlers<RequirementsOperationId>()({
    listRequirementTemplates: (_input, _req, res) => {
      res.json(service.templates());
    },
    listPrizeTemplates: (_input, _req, res) => {
      res.json(service.prizeTemplates());
    },
  });
}
