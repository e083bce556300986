import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { RosterIssue, RosterParseResult, RosterRow } from '../roster/roster-csv';
import type { RosterFieldChange, RosterPlan } from '../roster/roster-plan';
import { RosterImportHasIssuesError, RosterImportNotConfirmableError, RosterImportNotDiscardableError } from './roster-import.errors';

export type RosterImportState = 'previewed' | 'queued' | 'running' | 'completed' | 'failed' | 'discarded';

/** What a confirmed import will do (and, once finished, did), counted by kind of change. */
export interface RosterImportCounts {
  /** New people invited by e-mail. */
  invite: number;
  /** Members moved from employee to alumni. */
  leave: number;
  /** Roster records whose HR data changed (names, department, position, dates, link to an existing member). */
  update: number;
  /** Rows identical to what an earlier import recorded. */
  unchanged: number;
  /** New rows for people who had already left and are not members: recorded, not invited. */
  skipped: number;
}

/** How many planned changes of each kind the preview keeps. */
export const ROSTER_CHANGES_PER_KIND = 200;

/** One planned change, kept for the preview (the first few hundred of each kind). */
export interface RosterPlannedChange {
  line: number;
  employeeNumber: string;
  name: string;
  email: string;
  kind: keyof RosterImportCounts;
  /** For updates: the fields that change ('member': the entry is linked to an existing member). */
  fields?: string[];
  /** The HR fields that change, with the recorded value and the file's (absent on previews made before they were kept). */
  diffs?: RosterFieldChange[];
}

/**
 * An uploaded roster file, from its dry run to the end of the job that applies it (人事データ取込).
 * The parsed rows are kept so that the confirmed import applies exactly what the admin previewed.
 */
@Entity({ schema: 'membership', tableName: 'roster_import' })
@Index({ properties: ['createdAt'] })
export class RosterImport {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  uploadedBy: string;

  @Property({ type: 'text' })
  fileName: string;

  @Property({ type: 'integer' })
  fileSize: number;

  @Property({ type: 'text', nullable: true })
  encoding?: RosterParseResult['encoding'];

  @Property({ type: 'text' })
  state: RosterImportState = 'previewed';

  /** Valid rows in file order (empty once the import has finished or been discarded). */
  @Property({ type: 'json' })
  rows: RosterRow[] = [];

  /** Every problem found; an import with problems cannot be confirmed. */
  @Property({ type: 'json' })
  issues: RosterIssue[] = [];

  @Property({ type: 'json' })
  planned: RosterImportCounts = { invite: 0, leave: 0, update: 0, unchanged: 0, skipped: 0 };

  @Property({ type: 'json' })
  changes: RosterPlannedChange[] = [];

  /** What the job did; null until it finishes. */
  @Property({ type: 'json', nullable: true })
  applied?: RosterImportCounts;

  /**
   * Leavers the job did not mail: no personal address and a leaving date already past, so their company address is
   * presumed dead (domain/departure-mail.ts). Null until the job finishes (and on imports from before it was counted).
   */
  @Property({ type: 'integer', nullable: true })
  leaversNotMailed?: number | null;

  @Property({ type: 'integer' })
  totalRows = 0;

  /** Rows the job has worked through; written outside the import's transaction so the page can show progress. */
  @Property({ type: 'integer' })
  processedRows = 0;

  @Property({ type: 'text', nullable: true })
  failureReason?: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  confirmedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  confirmedBy?: string;

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date;

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date;

  constructor(input: { uploadedBy: string; fileName: string; fileSize: number }) {
    this.uploadedBy = input.uploadedBy;
    this.fileName = input.fileName;
    this.fileSize = input.fileSize;
  }

  /** A file that could be read: its valid rows and the problems of the others, waiting for the preview's plan. */
  static upload(input: { uploadedBy: string; fileName: string; fileSize: number; parsed: RosterParseResult }): RosterImport {
    const upload = new RosterImport(input);
    upload.encoding = input.parsed.encoding;
    upload.rows = input.parsed.rows;
    upload.issues = input.parsed.issues;
    upload.totalRows = input.parsed.rows.length;
    return upload;
  }

  /** Keeps what the import would do now: counts, a sample of the changes, and the rows it could not apply. */
  recordPlan(plan: RosterPlan): void {
    this.planned = { ...plan.counts };
    const kept = new Map<string, number>();
    this.changes = [];
    for (const d of plan.decisions) {
      if (d.kind === 'unchanged') continue;
      const n = kept.get(d.kind) ?? 0;
      if (n >= ROSTER_CHANGES_PER_KIND) continue;
      kept.set(d.kind, n + 1);
      const fields: string[] = [...d.changedFields];
      if (d.linkMemberId) fields.push('member');
      this.changes.push({
        line: d.row.line,
        employeeNumber: d.row.employeeNumber,
        name: `${d.row.familyName} ${d.row.givenName}`,
        email: d.row.email,
        kind: d.kind,
        ...(fields.length ? { fields } : {}),
        ...(d.fieldChanges.length ? { diffs: d.fieldChanges.map((c) => ({ ...c })) } : {}),
      });
    }
    if (plan.issues.length > 0) {
      this.issues = [...this.issues, ...plan.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    }
  }

  get canConfirm(): boolean {
    return this.state === 'previewed' && this.issues.length === 0 && this.totalRows > 0;
  }

  get canDiscard(): boolean {
    return this.state === 'previewed';
  }

  get inProgress(): boolean {
    return this.state === 'queued' || this.state === 'running';
  }

  /** The admin confirms the preview: the worker applies it. Only a preview without problems can be confirmed. */
  confirm(actorId: string, now = new Date()): void {
    if (this.state !== 'previewed') throw new RosterImportNotConfirmableError();
    if (this.issues.length > 0 || this.totalRows === 0) throw new RosterImportHasIssuesError();
    this.state = 'queued';
    this.confirmedAt = now;
    this.confirmedBy = actorId;
    this.processedRows = 0;
  }

  /** The admin throws the preview away; the rows are not kept. */
  discard(now = new Date()): void {
    if (this.state !== 'previewed') throw new RosterImportNotDiscardableError();
    this.state = 'discarded';
    this.rows = [];
    this.finishedAt = now;
  }
}
