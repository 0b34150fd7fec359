// Public surface of the durable job queue (pg-boss): enqueue inside a transaction, work on worker nodes.
export {
  JobQueue,
  JOB_STATES,
  type JobQueueOptions,
  type EnqueueOptions,
  type JobState,
} from './job-queue.ts';
export type { Job, JobData, JobHandler, WorkOptions } from './job-worker.ts';
export {
  JOB_QUEUES,
  DEFAULT_RETRY,
  deadLetterOf,
  type JobName,
  type DeadLetterName,
  type RetryPolicy,
} from './job-queues.ts';
