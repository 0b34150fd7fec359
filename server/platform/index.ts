// Public surface of shared plumbing: no business rules here.
export { createLogger, type Logger } from './logger.ts';
export { AppError, toAppError } from './errors.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { HealthChecker, type HealthReport } from './health.ts';
export { createRedis, type Redis } from './redis.ts';
export { retryUntil } from './backoff.ts';
