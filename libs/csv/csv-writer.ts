/**
 * Writing CSV for spreadsheets (RFC 4180), safe to open in Excel.
 *
 * - A cell that a spreadsheet would read as a formula — text beginning with `=`, `+`, `-`, `@`, a tab or a carriage
 *   return — is prefixed with a single quote (OWASP "CSV injection"), so `=HYPERLINK(…)` shows as text.
 * - A cell is quoted when it holds a comma, a double quote, a line break, or begins or ends with a space; double
 *   quotes inside are doubled.
 * - Rows end with CRLF; a file starts with a UTF-8 byte order mark, which Excel needs to read Japanese correctly.
 */

export const CSV_BOM = '\uFEFF';
export const CSV_NEWLINE = '\r\n';

export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet evaluate a cell when they come first. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** Text that a spreadsheet shows as typed: a leading formula character gets a single quote in front. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One cell: empty for null/undefined; numbers and booleans as they are; text neutralised, then quoted if needed. */
export function toCsvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = neutraliseFormula(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row with its CRLF. */
export function toCsvRow(values: readonly CsvValue[]): string {
  return values.map(toCsvCell).join(',') + CSV_NEWLINE;
}

/** A whole (small) document: BOM, header and rows. Large exports write rows as they come instead. */
export function toCsvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = CSV_BOM + toCsvRow(header);
  for (const row of rows) out += toCsvRow(row);
  return out;
}
