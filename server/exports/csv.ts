// RFC 4180 CSV for spreadsheets: UTF-8 BOM (Excel reads UTF-8 only with it), CRLF line ends, and cells
// that a spreadsheet would run as a formula made inert with a leading apostrophe (OWASP "CSV injection").
export type CsvCell = string | number | null | undefined;

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Numbers are ours (places, ids, quantities) and never negative; only text can smuggle a formula.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole document: BOM, header row, then one row per record, every row ending in CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n');
  return BOM + lines.join('');
}
