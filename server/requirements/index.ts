// Public surface of requirements: the checker contract, the service (create, store, view, evaluate), routes.
export {
  RequirementsService,
  hasCustomRequirement,
  type EvaluateOptions,
  type EvaluatedRequirement,
  type RequirementsEvaluation,
  type RequirementsServiceOptions,
} from './requirements.service.ts';
export { requirementsHandlers, type RequirementsOperationId } from './requirements.routes.ts';
export {
  emptyRequirement,
  failed,
  passed,
  unknown,
  type NewRequirement,
  type RequirementChecker,
  type RequirementResult,
  type RequirementStatus,
  type RequirementSubject,
  type RequirementType,
  type StoredRequirement,
} from './requirement-checker.ts';
export { estimateRegistrationYear } from './registration-year.ts';
