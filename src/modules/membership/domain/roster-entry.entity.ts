import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { readingForForm } from '@libs/search/japanese-text';
import type { RosterRow } from '../roster/roster-csv';
import type { CareerEntry } from './profile.entity';
import { ROSTER_ENTRY_FIELDS, type RecordedEntry } from '../roster/roster-plan';

/**
 * What the HR system last said about one employee number. Imports compare each row with it, so importing the
 * same file twice changes nothing. Linked to the member once they join (or when their address already belongs
 * to one), and to the invitation sent to them.
 */
@Entity({ schema: 'membership', tableName: 'roster_entry' })
@Index({ properties: ['email'] })
@Index({ properties: ['invitationId'] })
export class RosterEntry {
  @PrimaryKey({ type: 'text' })
  employeeNumber: string;

  @Unique()
  @Property({ type: 'uuid', nullable: true })
  memberId?: string;

  @Property({ type: 'uuid', nullable: true })
  invitationId?: string;

  @Property({ type: 'text' })
  email: string;

  @Property({ type: 'text' })
  familyName: string;

  @Property({ type: 'text' })
  givenName: string;

  @Property({ type: 'text', nullable: true })
  familyNameKana?: string | null;

  @Property({ type: 'text', nullable: true })
  givenNameKana?: string | null;

  @Property({ type: 'text', nullable: true })
  department?: string | null;

  @Property({ type: 'text', nullable: true })
  position?: string | null;

  @Property({ type: 'date', nullable: true })
  hiredOn?: string | null;

  @Property({ type: 'date', nullable: true })
  leftOn?: string | null;

  @Property({ type: 'uuid' })
  lastImportId: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();

  constructor(employeeNumber: string, email: string, familyName: string, givenName: string, importId: string) {
    this.employeeNumber = employeeNumber;
    this.email = email;
    this.familyName = familyName;
    this.givenName = givenName;
    this.lastImportId = importId;
  }

  /** The first time HR lists this employee number. */
  static fromRow(row: RosterRow, importId: string, now = new Date()): RosterEntry {
    const entry = new RosterEntry(row.employeeNumber, row.email, row.familyName, row.givenName, importId);
    entry.takeRow(row, importId, now);
    entry.createdAt = now;
    return entry;
  }

  /** HR's latest data for this employee number. */
  takeRow(row: RosterRow, importId: string, now = new Date()): void {
    for (const field of ROSTER_ENTRY_FIELDS) (this as Record<(typeof ROSTER_ENTRY_FIELDS)[number], string | null | undefined>)[field] = row[field];
    this.lastImportId = importId;
    this.updatedAt = now;
  }

  /** The person is (or became) this member. */
  linkMember(memberId: string, now = new Date()): void {
    this.memberId = memberId;
    this.updatedAt = now;
  }

  recordInvitation(invitationId: string, now = new Date()): void {
    this.invitationId = invitationId;
    this.updatedAt = now;
  }

  /**
   * The names HR gave, suggested on the invitation form: readings in full-width katakana as the form takes them
   * (HR systems often export ｽｽﾞｷ or すずき); the entry itself keeps what HR wrote.
   */
  get names(): { familyName: string; givenName: string; familyNameKana: string; givenNameKana: string } {
    return {
      familyName: this.familyName,
      givenName: this.givenName,
      familyNameKana: readingForForm(this.familyNameKana ?? ''),
      givenNameKana: readingForForm(this.givenNameKana ?? ''),
    };
  }

  /** What HR's record gives a new member's profile. */
  profileBasics(): { lastDepartment: string | null; lastPosition: string | null; joinedYear: number | null; leftYear: number | null } {
    return {
      lastDepartment: this.department ?? null,
      lastPosition: this.position ?? null,
      joinedYear: this.hiredOn ? Number(this.hiredOn.slice(0, 4)) : null,
      leftYear: this.leftOn ? Number(this.leftOn.slice(0, 4)) : null,
    };
  }

  /** The current post as a career entry (from the hire month; closed in the leaving month), if HR gave a department and hire date. */
  careerAtCompany(): CareerEntry[] {
    if (!this.department || !this.hiredOn) return [];
    return [{ department: this.department, position: this.position ?? '', from: this.hiredOn.slice(0, 7), to: this.leftOn ? this.leftOn.slice(0, 7) : null }];
  }

  toRecorded(): RecordedEntry {
    return {
      employeeNumber: this.employeeNumber,
      memberId: this.memberId ?? null,
      invitationId: this.invitationId ?? null,
      email: this.email,
      familyName: this.familyName,
      givenName: this.givenName,
      familyNameKana: this.familyNameKana ?? null,
      givenNameKana: this.givenNameKana ?? null,
      department: this.department ?? null,
      position: this.position ?? null,
      hiredOn: this.hiredOn ?? null,
      leftOn: this.leftOn ?? null,
    };
  }
}
