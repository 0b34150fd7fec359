// Retry-until-stopped with capped exponential backoff, for boot steps that wait on a dependency.
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  opts: {
    isRetryable: (err: unknown) => boolean;
    onRetry: (err: unknown, delayMs: number) => void;
    signal: AbortSignal;
  },
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (opts.signal.aborted || !opts.isRetryable(err)) throw err;
      const delayMs = Math.min(250 * 2 ** n, 5_000);
      opts.onRetry(err, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (opts.signal.aborted) throw new Error('Stopped while waiting for a dependency');
    }
  }
}
