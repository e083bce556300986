import * as iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { hasControlCharacters } from '@libs/web/control-characters';
import { ROSTER_FILE_MAX_BYTES } from '../contracts/roster';

/**
 * Parser for roster CSV files exported from Japanese HR systems (人事データ取込).
 *
 * Pure: takes the uploaded bytes, returns the valid rows and every problem found. It never throws for bad input;
 * problems come back as issues whose `code` is a message key under `membership.roster.errors.*`
 * (texts in `i18n/{ja,en}.json` beside this file; row messages leave out the line and column, which pages show
 * alongside).
 */

export type RosterColumn =
  | 'employeeNumber'
  | 'familyName'
  | 'givenName'
  | 'familyNameKana'
  | 'givenNameKana'
  | 'email'
  | 'department'
  | 'position'
  | 'hiredOn'
  | 'leftOn';

export interface RosterRow {
  /** 1-based physical line where the row starts (the header is line 1). */
  line: number;
  employeeNumber: string;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  email: string;
  department: string | null;
  position: string | null;
  /** 'YYYY-MM-DD' */
  hiredOn: string | null;
  /** 'YYYY-MM-DD' */
  leftOn: string | null;
}

export interface RosterIssue {
  /** Line of the row; null for a problem with the whole file. */
  line: number | null;
  column: RosterColumn | null;
  /** Message key under `membership.roster.errors.*`. */
  code: RosterIssueCode;
  params?: Record<string, string | number>;
}

export interface RosterParseResult {
  /** How the file was decoded; null when it could not be (or was refused before decoding). */
  encoding: 'utf-8' | 'utf-8-bom' | 'cp932' | null;
  /** Valid rows only, in file order. */
  rows: RosterRow[];
  issues: RosterIssue[];
  /** Recognised columns in file order. */
  columns: RosterColumn[];
}

export const ROSTER_MAX_BYTES = ROSTER_FILE_MAX_BYTES;
export const ROSTER_MAX_ROWS = 100_000;

const ERRORS = 'membership.roster.errors';

export const ROSTER_ISSUE_CODES = {
  // file level
  unknownEncoding: `${ERRORS}.unknownEncoding`,
  tooLarge: `${ERRORS}.tooLarge`,
  tooManyRows: `${ERRORS}.tooManyRows`,
  malformedCsv: `${ERRORS}.malformedCsv`,
  missingColumns: `${ERRORS}.missingColumns`,
  duplicateColumns: `${ERRORS}.duplicateColumns`,
  empty: `${ERRORS}.empty`,
  // row level
  required: `${ERRORS}.required`,
  tooLong: `${ERRORS}.tooLong`,
  controlCharacters: `${ERRORS}.controlCharacters`,
  invalidEmployeeNumber: `${ERRORS}.invalidEmployeeNumber`,
  invalidEmail: `${ERRORS}.invalidEmail`,
  invalidDate: `${ERRORS}.invalidDate`,
  leftBeforeHired: `${ERRORS}.leftBeforeHired`,
  duplicateEmployeeNumber: `${ERRORS}.duplicateEmployeeNumber`,
  duplicateEmail: `${ERRORS}.duplicateEmail`,
  // found when the rows are compared with the roster already recorded (roster-plan.ts)
  emailLinkedElsewhere: `${ERRORS}.emailLinkedElsewhere`,
} as const;

export type RosterIssueCode = (typeof ROSTER_ISSUE_CODES)[keyof typeof ROSTER_ISSUE_CODES];

interface ColumnSpec {
  /** Canonical English header. */
  header: string;
  /** Japanese header. */
  label: string;
  required: boolean;
}

/** Every column, in canonical order. */
export const ROSTER_COLUMNS: Readonly<Record<RosterColumn, ColumnSpec>> = {
  employeeNumber: { header: 'employee_number', label: '社員番号', required: true },
  familyName: { header: 'family_name', label: '姓', required: true },
  givenName: { header: 'given_name', label: '名', required: true },
  familyNameKana: { header: 'family_name_kana', label: 'セイ', required: false },
  givenNameKana: { header: 'given_name_kana', label: 'メイ', required: false },
  email: { header: 'email', label: 'メールアドレス', required: true },
  department: { header: 'department', label: '部署', required: false },
  position: { header: 'position', label: '役職', required: false },
  hiredOn: { header: 'hired_on', label: '入社日', required: false },
  leftOn: { header: 'left_on', label: '退職日', required: false },
};

const COLUMN_KEYS = Object.keys(ROSTER_COLUMNS) as RosterColumn[];

const NAME_MAX = 50;
const ORGANISATION_MAX = 100;
const EMPLOYEE_NUMBER_MAX = 50;
const EMAIL_MAX = 254;
const EMAIL_LOCAL_MAX = 64;

/** Header text reduced to a lookup key: NFKC, trimmed, lower case, without spaces, underscores or hyphens. */
function headerKey(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, '');
}

const HEADER_LOOKUP: ReadonlyMap<string, RosterColumn> = new Map(
  COLUMN_KEYS.flatMap((column) => {
    const { header, label } = ROSTER_COLUMNS[column];
    return [header, label, column].map((name) => [headerKey(name), column] as const);
  }),
);

/** The header name a person would recognise in either language, e.g. `email (メールアドレス)`. */
export function rosterColumnName(column: RosterColumn): string {
  return `${ROSTER_COLUMNS[column].header} (${ROSTER_COLUMNS[column].label})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

type Encoding = NonNullable<RosterParseResult['encoding']>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(file: Buffer): { encoding: Encoding; text: string } | null {
  const decoded = decodeBytes(file);
  // A text file never holds NUL; seeing one means UTF-16 or binary that merely happens to be valid UTF-8.
  if (decoded === null || decoded.text.includes('\u0000')) return null;
  return decoded;
}

function decodeBytes(file: Buffer): { encoding: Encoding; text: string } | null {
  if (file.length >= 3 && file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) {
    const text = utf8(file.subarray(3));
    return text === null ? null : { encoding: 'utf-8-bom', text };
  }
  const text = utf8(file);
  if (text !== null) return { encoding: 'utf-8', text };
  const sjis = iconv.decode(file, 'cp932');
  return sjis.includes('\ufffd') ? null : { encoding: 'cp932', text: sjis };
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CSV records with their starting line

interface RawRecord {
  line: number;
  fields: string[];
}

class TooManyRecords extends Error {}

type RecordsResult = { records: RawRecord[] } | { tooMany: true } | { malformedAt: number };

/**
 * Splits the text into non-blank records, each with the physical line it starts on.
 * Stops as soon as there are more than `limit` records.
 */
function readRecords(text: string, limit: number): RecordsResult {
  // One line-ending style, so that csv-parse counts every line break exactly once (it counts CR and LF
  // separately inside quoted fields). Line breaks inside values become spaces later anyway.
  const normalised = text.replace(/\r\n?/g, '\n');
  const records: RawRecord[] = [];
  let lastLine = 0;
  try {
    parse(normalised, {
      bom: true,
      delimiter: ',',
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (fields: string[], context) => {
        const end = context.lines;
        lastLine = end;
        if (fields.every((field) => clean(field) === '')) return null;
        const breaks = fields.reduce((sum, field) => sum + countBreaks(field), 0);
        records.push({ line: end - breaks, fields });
        if (records.length > limit) throw new TooManyRecords();
        return null;
      },
    });
  } catch (error) {
    if (error instanceof TooManyRecords) return { tooMany: true };
    return { malformedAt: firstContentLineAfter(normalised, lastLine) };
  }
  return { records };
}

function countBreaks(value: string): number {
  let count = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) count++;
  return count;
}

/** The first non-blank line after `line`: where the record that could not be read begins. */
function firstContentLineAfter(text: string, line: number): number {
  const lines = text.split('\n');
  for (let i = line; i < lines.length; i++) if (lines[i].trim() !== '') return i + 1;
  return line + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/**
 * The value as HR wrote it: a line break inside a quoted value (with the spaces around it) becomes one space, a tab a
 * space, other control characters are removed, and the value is trimmed. The characters themselves are kept (①, ㈱, Ⅱ, ｶﾌﾞｼｷｶﾞｲｼｬ stay as they
 * are); only search keys fold them.
 */
function clean(value: string): string {
  let text = value
    .replace(/[^\S\r\n]*[\r\n]+\s*/g, ' ')
    .replace(/\t/g, ' ')
    .trim();
  // Excel's way of keeping leading zeros: ="00123"
  const formula = /^="(.*)"$/.exec(text);
  if (formula) text = formula[1].trim();
  return text;
}

/** Length in characters (code points), as PostgreSQL counts them. */
function length(value: string): number {
  return [...value].length;
}

const DATE_PATTERNS = [/^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/, /^(\d{4})(年)(\d{1,2})月(\d{1,2})日$/];

/** 'YYYY-MM-DD' for a real calendar date written as 2024-04-01, 2024/4/1, 2024.4.1 or 2024年4月1日. */
export function parseRosterDate(value: string): string | null {
  for (const pattern of DATE_PATTERNS) {
    const match = pattern.exec(value);
    if (!match) continue;
    const [year, month, day] = [Number(match[1]), Number(match[3]), Number(match[4])];
    if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
    return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return null;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A simple check rather than the full RFC 5322 grammar. Dots anywhere in the local part are accepted, because
 * older Japanese mobile addresses (e.g. `taro..yamada.@docomo.ne.jp`) use them and still receive mail.
 */
export function isRosterEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  return (
    local.length <= EMAIL_LOCAL_MAX &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^(?:[a-z]{2,}|xn--[a-z0-9-]+)$/.test(labels[labels.length - 1])
  );
}

const EMPLOYEE_NUMBER = /^[A-Za-z0-9_-]+$/;

// ---------------------------------------------------------------------------------------------------------------
// Parsing

function fileIssue(
  encoding: RosterParseResult['encoding'],
  code: RosterIssueCode,
  params?: RosterIssue['params'],
  columns: RosterColumn[] = [],
): RosterParseResult {
  return { encoding, rows: [], issues: [{ line: null, column: null, code, ...(params ? { params } : {}) }], columns };
}

export function parseRoster(file: Buffer): RosterParseResult {
  if (file.length > ROSTER_MAX_BYTES) {
    return fileIssue(null, ROSTER_ISSUE_CODES.tooLarge, { mb: ROSTER_MAX_BYTES / (1024 * 1024) });
  }
  const decoded = decode(file);
  if (decoded === null) return fileIssue(null, ROSTER_ISSUE_CODES.unknownEncoding);
  const { encoding, text } = decoded;

  // The header plus one more row than allowed is enough to know the file is too long.
  const read = readRecords(text, ROSTER_MAX_ROWS + 1);
  if ('tooMany' in read) return fileIssue(encoding, ROSTER_ISSUE_CODES.tooManyRows, { max: ROSTER_MAX_ROWS });
  if ('malformedAt' in read) return fileIssue(encoding, ROSTER_ISSUE_CODES.malformedCsv, { line: read.malformedAt });
  const [header, ...data] = read.records;
  if (header === undefined) return fileIssue(encoding, ROSTER_ISSUE_CODES.empty);

  // Which field holds which column; unknown headers are ignored.
  const positions = new Map<RosterColumn, number>();
  const repeated: RosterColumn[] = [];
  header.fields.forEach((name, index) => {
    const column = HEADER_LOOKUP.get(headerKey(name));
    if (column === undefined) return;
    if (positions.has(column)) {
      if (!repeated.includes(column)) repeated.push(column);
    } else positions.set(column, index);
  });
  const columns = [...positions.keys()];
  if (repeated.length > 0) {
    return fileIssue(encoding, ROSTER_ISSUE_CODES.duplicateColumns, { columns: repeated.map(rosterColumnName).join(', ') }, columns);
  }
  const missing = COLUMN_KEYS.filter((column) => ROSTER_COLUMNS[column].required && !positions.has(column));
  if (missing.length > 0) {
    return fileIssue(encoding, ROSTER_ISSUE_CODES.missingColumns, { columns: missing.map(rosterColumnName).join(', ') }, columns);
  }
  if (data.length === 0) return fileIssue(encoding, ROSTER_ISSUE_CODES.empty, undefined, columns);

  const rows: RosterRow[] = [];
  const issues: RosterIssue[] = [];
  const firstLineOfEmployeeNumber = new Map<string, number>();
  const firstLineOfEmail = new Map<string, number>();

  for (const record of data) {
    const { line } = record;
    const rowIssues: RosterIssue[] = [];
    const report = (column: RosterColumn, code: RosterIssueCode, params?: RosterIssue['params']) => {
      rowIssues.push({ line, column, code, ...(params ? { params } : {}) });
    };
    const value = (column: RosterColumn): string => {
      const index = positions.get(column);
      return index === undefined ? '' : clean(record.fields[index] ?? '');
    };
    /** Identifiers, addresses and dates are read width-folded (ＡＢ１２３ is AB123); names and texts are not. */
    const folded = (column: RosterColumn): string => value(column).normalize('NFKC').trim();
    const text = (column: RosterColumn, max: number, required: boolean, read: (column: RosterColumn) => string = value): string | null => {
      const v = read(column);
      // The same rule as every form field (control-characters.ts): such a cell would reach the database otherwise.
      if (hasControlCharacters(v)) {
        report(column, ROSTER_ISSUE_CODES.controlCharacters);
        return null;
      }
      if (v === '') {
        if (required) report(column, ROSTER_ISSUE_CODES.required);
        return null;
      }
      if (length(v) > max) {
        report(column, ROSTER_ISSUE_CODES.tooLong, { max });
        return null;
      }
      return v;
    };
    const date = (column: RosterColumn): string | null => {
      const v = folded(column);
      if (v === '') return null;
      if (hasControlCharacters(v)) {
        report(column, ROSTER_ISSUE_CODES.controlCharacters);
        return null;
      }
      const parsed = parseRosterDate(v);
      if (parsed === null) report(column, ROSTER_ISSUE_CODES.invalidDate, { value: v });
      return parsed;
    };

    let employeeNumber = text('employeeNumber', EMPLOYEE_NUMBER_MAX, true, folded);
    if (employeeNumber !== null && !EMPLOYEE_NUMBER.test(employeeNumber)) {
      report('employeeNumber', ROSTER_ISSUE_CODES.invalidEmployeeNumber);
      employeeNumber = null;
    }
    if (employeeNumber !== null) {
      const first = firstLineOfEmployeeNumber.get(employeeNumber);
      if (first === undefined) firstLineOfEmployeeNumber.set(employeeNumber, line);
      else report('employeeNumber', ROSTER_ISSUE_CODES.duplicateEmployeeNumber, { firstLine: first });
    }

    const familyName = text('familyName', NAME_MAX, true);
    const givenName = text('givenName', NAME_MAX, true);
    const familyNameKana = text('familyNameKana', NAME_MAX, false);
    const givenNameKana = text('givenNameKana', NAME_MAX, false);

    let email = text('email', EMAIL_MAX, true, folded)?.toLowerCase() ?? null;
    if (email !== null && !isRosterEmail(email)) {
      report('email', ROSTER_ISSUE_CODES.invalidEmail);
      email = null;
    }
    if (email !== null) {
      const first = firstLineOfEmail.get(email);
      if (first === undefined) firstLineOfEmail.set(email, line);
      else report('email', ROSTER_ISSUE_CODES.duplicateEmail, { firstLine: first });
    }

    const department = text('department', ORGANISATION_MAX, false);
    const position = text('position', ORGANISATION_MAX, false);
    const hiredOn = date('hiredOn');
    const leftOn = date('leftOn');
    if (hiredOn !== null && leftOn !== null && leftOn < hiredOn) report('leftOn', ROSTER_ISSUE_CODES.leftBeforeHired);

    if (rowIssues.length > 0 || employeeNumber === null || familyName === null || givenName === null || email === null) {
      issues.push(...rowIssues);
      continue;
    }
    rows.push({
      line,
      employeeNumber,
      familyName,
      givenName,
      familyNameKana,
      givenNameKana,
      email,
      department,
      position,
      hiredOn,
      leftOn,
    });
  }

  return { encoding, rows, issues, columns };
}
