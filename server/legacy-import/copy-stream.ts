// COPY … FROM STDIN for the importer's bulk rows: PostgreSQL parses its text format far more cheaply than
// the parameters of a multi-row INSERT, and the importer builds one string per batch instead of arrays of
// parameters. The statements themselves live in the *.queries.ts files.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Sends `text` (rows in COPY's text format) through the COPY statement; resolves once the server took it. */
export async function copyIn(client: pg.ClientBase, statement: string, text: string): Promise<number> {
  const stream = client.query(copyFrom(statement));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(text);
  });
  return stream.rowCount;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY's text format: NULL as \N, the delimiter, line breaks and backslashes escaped. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}
