import type { MemberStatus } from '@libs/security/access-policy';
import { ROSTER_ISSUE_CODES, type RosterColumn, type RosterIssue, type RosterRow } from './roster-csv';

/**
 * What an import does with each row, decided against what is already recorded (人事データ取込).
 *
 * Pure: the caller loads the state (`RosterSnapshot`) for the rows; the same function serves the preview and the job,
 * which decides again against the database as it is when it runs. Rows are matched by employee number.
 */

export type RosterChangeKind = 'invite' | 'leave' | 'update' | 'unchanged' | 'skipped';

/** The HR data recorded for one employee number (a RosterEntry). */
export interface RecordedEntry {
  employeeNumber: string;
  memberId: string | null;
  invitationId: string | null;
  email: string;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  department: string | null;
  position: string | null;
  hiredOn: string | null;
  leftOn: string | null;
}

export interface KnownMember {
  id: string;
  status: MemberStatus;
}

/** What is recorded about the rows' employee numbers and e-mail addresses. */
export interface RosterSnapshot {
  /** Entries of the rows' employee numbers. */
  entries: ReadonlyMap<string, RecordedEntry>;
  /** Employee numbers of recorded entries by e-mail address (for the rows' addresses). */
  entryNumbersByEmail: ReadonlyMap<string, string>;
  /** Members by (normalised) e-mail address, for the rows' addresses. */
  membersByEmail: ReadonlyMap<string, KnownMember>;
  /** Members linked to the entries, by id. */
  membersById: ReadonlyMap<string, KnownMember>;
  /** Employee number of the entry each member found by e-mail is linked to, if any. */
  entryNumbersByMemberId: ReadonlyMap<string, string>;
}

/** The HR fields an entry keeps, compared to tell whether a row changes anything. */
export const ROSTER_ENTRY_FIELDS = [
  'email',
  'familyName',
  'givenName',
  'familyNameKana',
  'givenNameKana',
  'department',
  'position',
  'hiredOn',
  'leftOn',
] as const satisfies readonly RosterColumn[];

export type RosterEntryField = (typeof ROSTER_ENTRY_FIELDS)[number];

/** The HR fields that hold a date ('YYYY-MM-DD'); the others hold text. */
export const ROSTER_DATE_FIELDS: readonly RosterEntryField[] = ['hiredOn', 'leftOn'];

/** One field a row changes: what was recorded (null: nothing) and what the file says. */
export interface RosterFieldChange {
  field: RosterEntryField;
  from: string | null;
  to: string | null;
}

export interface RosterDecision {
  row: RosterRow;
  kind: RosterChangeKind;
  /** The entry is new (no row recorded for this employee number). */
  isNew: boolean;
  /** HR fields that differ from the recorded entry (empty for a new entry). */
  changedFields: RosterEntryField[];
  /**
   * The same fields with their old and new values, in ROSTER_ENTRY_FIELDS order. A leaver whose entry is new (an
   * existing member linked by address) also shows the leaving date, from nothing.
   */
  fieldChanges: RosterFieldChange[];
  /** A member to link the entry to (their address is the row's). */
  linkMemberId: string | null;
  /** Send an invitation to the row's address. */
  invite: boolean;
  /** The linked member, an employee, leaves on `row.leftOn`. */
  leaverMemberId: string | null;
}

export interface RosterPlan {
  decisions: RosterDecision[];
  /** Rows that cannot be applied as they stand (the import cannot be confirmed). */
  issues: RosterIssue[];
  counts: Record<RosterChangeKind, number>;
}

export function emptyRosterCounts(): Record<RosterChangeKind, number> {
  return { invite: 0, leave: 0, update: 0, unchanged: 0, skipped: 0 };
}

export function changedRosterFields(entry: RecordedEntry, row: RosterRow): RosterEntryField[] {
  return ROSTER_ENTRY_FIELDS.filter((field) => (entry[field] ?? null) !== (row[field] ?? null));
}

/** Old and new values of the fields a row changes in the recorded entry (none for a new entry). */
export function rosterFieldChanges(entry: RecordedEntry | undefined, row: RosterRow, fields: readonly RosterEntryField[]): RosterFieldChange[] {
  return fields.map((field) => ({ field, from: entry?.[field] ?? null, to: row[field] ?? null }));
}

/**
 * Decides every row.
 * - New employee number: a member with that address is linked (and leaves if HR says they left while they are an
 *   employee); otherwise someone already gone is only recorded (`skipped`) and anyone else is invited.
 * - Known employee number: changed HR data is updated; a linked employee whose leaving date is new leaves; someone
 *   not yet a member is invited again only if they had no invitation or their address changed.
 * - An address recorded for another employee number (or belonging to a member linked to one) is an issue.
 */
export function planRoster(rows: readonly RosterRow[], snapshot: RosterSnapshot): RosterPlan {
  const decisions: RosterDecision[] = [];
  const issues: RosterIssue[] = [];
  const counts = emptyRosterCounts();
  const emailInFile = new Map(rows.map((row) => [row.employeeNumber, row.email]));

  for (const row of rows) {
    const entry = snapshot.entries.get(row.employeeNumber);

    // The address must not belong to someone else on record (after this file's own changes of address).
    const otherNumber = snapshot.entryNumbersByEmail.get(row.email);
    const otherKeepsAddress = otherNumber !== undefined && otherNumber !== row.employeeNumber && (emailInFile.get(otherNumber) ?? row.email) === row.email;
    const member = snapshot.membersByEmail.get(row.email);
    const memberLinkedTo = member ? snapshot.entryNumbersByMemberId.get(member.id) : undefined;
    const memberTaken = memberLinkedTo !== undefined && memberLinkedTo !== row.employeeNumber;
    if (otherKeepsAddress || memberTaken) {
      issues.push({
        line: row.line,
        column: 'email',
        code: ROSTER_ISSUE_CODES.emailLinkedElsewhere,
        params: { employeeNumber: (otherKeepsAddress ? otherNumber : memberLinkedTo) as string },
      });
      continue;
    }

    const changedFields = entry ? changedRosterFields(entry, row) : [];
    const linkedId = entry?.memberId ?? null;
    const linkMemberId = linkedId === null && member ? member.id : null;
    const linked = linkedId !== null ? (snapshot.membersById.get(linkedId) ?? null) : linkMemberId !== null ? (member ?? null) : null;

    let kind: RosterChangeKind;
    let invite = false;
    let leaverMemberId: string | null = null;
    if (linkedId !== null || linkMemberId !== null) {
      const leftNow = row.leftOn !== null && (entry === undefined || linkMemberId !== null || entry.leftOn !== row.leftOn);
      if (leftNow && linked?.status === 'employee') {
        leaverMemberId = linked.id;
        kind = 'leave';
      } else {
        kind = linkMemberId !== null || changedFields.length > 0 ? 'update' : 'unchanged';
      }
    } else if (row.leftOn !== null) {
      kind = entry === undefined ? 'skipped' : changedFields.length > 0 ? 'update' : 'unchanged';
    } else if (entry === undefined || entry.invitationId === null || changedFields.includes('email')) {
      invite = true;
      kind = 'invite';
    } else {
      kind = changedFields.length > 0 ? 'update' : 'unchanged';
    }

    const fieldChanges = rosterFieldChanges(entry, row, changedFields);
    if (kind === 'leave' && !changedFields.includes('leftOn')) fieldChanges.push({ field: 'leftOn', from: entry?.leftOn ?? null, to: row.leftOn });

    counts[kind] += 1;
    decisions.push({ row, kind, isNew: entry === undefined, changedFields, fieldChanges, linkMemberId, invite, leaverMemberId });
  }
  return { decisions, issues, counts };
}
