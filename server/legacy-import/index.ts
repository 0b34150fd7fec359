// Public surface of the legacy Redis → PostgreSQL importer (the CLI is cli.ts).
export { runImport, DEFAULT_BATCH, type ImportOptions } from './importer.ts';
export type { ImportReportJson, Entity } from './import-report.ts';
export { renderSummary } from './summary-table.ts';
export { CONNECTION_COMMANDS, READ_COMMANDS } from './legacy-source.ts';
export { ConsoleProgress, silentProgress, type ProgressSink } from './progress.ts';
