// Drawing (phases 2–3): selection of winners by the protocol with requirement re-checks, the runner that does it
// under a lease, and the scheduler that closes and draws on time.
export {
  DrawExecution,
  type CloseOutcome,
  type DrawExecutionDeps,
  type DrawReport,
} from './draw-execution.ts';
export { DrawRunner, type DrawRunnerDeps, type RunOutcome } from './draw-runner.ts';
export {
  DrawScheduler,
  type DrawSchedulerOptions,
  type SchedulableClosing,
  type SchedulableExecution,
  type SchedulerStep,
} from './scheduler.ts';
export { CHECK_UNAVAILABLE, USER_UNKNOWN, checkEligibility, reasonCode } from './eligibility.ts';
export { selectDrawRequirements } from './execution.queries.ts';
