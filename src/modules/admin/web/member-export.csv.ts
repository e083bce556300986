import type { CsvValue } from '@libs/csv/csv-writer';
import type { DirectoryExportRow } from '@modules/membership/contracts';

/** The export's columns, in order: message key of the header and the cell of one member. */
const COLUMNS: [string, (r: DirectoryExportRow, c: CellContext) => CsvValue][] = [
  ['memberId', (r) => r.memberId],
  ['familyName', (r) => r.familyName],
  ['givenName', (r) => r.givenName],
  ['familyNameKana', (r) => r.familyNameKana],
  ['givenNameKana', (r) => r.givenNameKana],
  ['romajiName', (r) => r.romajiName],
  ['email', (r) => r.email],
  ['status', (r, c) => c.label('status', r.status)],
  ['role', (r, c) => c.label('role', r.role)],
  ['department', (r) => r.lastDepartment],
  ['position', (r) => r.lastPosition],
  ['joinedYear', (r) => r.joinedYear],
  ['leftYear', (r) => r.leftYear],
  ['location', (r) => r.location],
  ['currentCompany', (r) => r.currentCompany],
  ['skills', (r) => r.skills.join('、')],
  ['joinedAt', (r, c) => c.dateTime(r.joinedAt)],
];

export interface CellContext {
  /** The translated name of an enum value (status, role), or the value itself when there is none. */
  label(prefix: string, value: string): string;
  dateTime(d: Date): string;
}

export function exportHeader(t: (key: string) => string): string[] {
  return COLUMNS.map(([key]) => t(`admin.export.columns.${key}`));
}

export function exportCells(row: DirectoryExportRow, context: CellContext): CsvValue[] {
  return COLUMNS.map(([, cell]) => cell(row, context));
}

/** "2026-11-24 15:49" in the time zone: a form every spreadsheet reads as a date and time. */
export function csvDateTime(timeZone: string): (d: Date) => string {
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (d) => format.format(d);
}

/** The download's file name: members-YYYYMMDD-HHmm.csv in the time zone (ASCII, so every browser keeps it). */
export function exportFileName(now: Date, timeZone: string): string {
  return `members-${csvDateTime(timeZone)(now).replace(/[-:]/g, '').replace(' ', '-')}.csv`;
}
