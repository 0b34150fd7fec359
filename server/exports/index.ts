// Public surface of exports: the owner's winners CSV and its one-time download links.
export { ExportsService, type ExportsServiceOptions, type CsvFile } from './exports.service.ts';
export {
  exportsHandlers,
  publicExportHandlers,
  type ExportsOperationId,
  type PublicExportsOperationId,
} from './exports.routes.ts';
export { toCsv, csvCell, type CsvCell } from './csv.ts';
