// Runs `fn` when `signal` aborts, or at once if it already has: a stop that arrived during an earlier await
// must not slip past a listener added after it. Returns the unsubscribe.
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}
