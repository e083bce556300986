import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { RosterIssue, RosterParseResult, RosterRow } from '../roster/roster-csv';

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

/** One planned change, kept for the preview (the first few hundred of each kind). */
export interface RosterPlannedChange {
  line: number;
  employeeNumber: string;
  name: string;
  email: string;
  kind: keyof RosterImportCounts;
  /** For updates: the fields that change. */
  fields?: string[];
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
}
