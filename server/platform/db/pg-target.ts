// Where a PostgreSQL connection goes: URL plus TLS options. Shared by the pool, the migrator, the listener.
import type { ConnectionOptions } from 'node:tls';

export interface PgTarget {
  connectionString: string;
  ssl: false | ConnectionOptions;
}
