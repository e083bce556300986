// Roster import (人事データ取込): commands, queries and views.
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { Page } from './views';

/** The largest roster file accepted (10 MB). The web layer refuses bigger uploads with `ROSTER_TOO_LARGE_MESSAGE`. */
export const ROSTER_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** Message key (param `mb`) for a file over `ROSTER_FILE_MAX_BYTES`. */
export const ROSTER_TOO_LARGE_MESSAGE = 'membership.roster.errors.tooLarge';

export const ROSTER_IMPORT_STATES = ['previewed', 'queued', 'running', 'completed', 'failed', 'discarded'] as const;
export type RosterImportStateView = (typeof ROSTER_IMPORT_STATES)[number];

/** The kinds of change an import makes, in the order the pages show them. */
export const ROSTER_CHANGE_KINDS = ['invite', 'leave', 'update', 'unchanged', 'skipped'] as const;
export type RosterChangeKindView = (typeof ROSTER_CHANGE_KINDS)[number];

export type RosterCountsView = Record<RosterChangeKindView, number>;

/**
 * An admin uploads a roster file: it is read and compared with the current roster (a dry run). Nothing changes but
 * the stored preview. A file that cannot be read at all (encoding, missing columns, empty, too large) is refused with
 * a message on the `file` field; row problems are kept on the preview. Answers the new import's id.
 */
export class PreviewRosterImportCommand extends Command<{ importId: string }> {
  constructor(
    readonly actor: Viewer,
    readonly fileName: string,
    /** The uploaded bytes; null when no file was chosen. */
    readonly file: Buffer | null,
  ) {
    super();
  }
}

/** The admin confirms a previewed import without problems: it is queued and applied by the worker. */
export class ConfirmRosterImportCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly importId: string) {
    super();
  }
}

/** The admin throws a previewed import away; nothing is applied. */
export class DiscardRosterImportCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly importId: string) {
    super();
  }
}

export interface RosterIssueView {
  /** Line in the file; null for a problem with the whole file. */
  line: number | null;
  /** Message key of the column's name (`membership.roster.columns.*`), or null. */
  columnKey: string | null;
  /** Message key of the problem and its parameters. */
  messageKey: string;
  params: Record<string, string | number>;
}

/** One HR field a row changes, with the value on record and the file's (null: empty). */
export interface RosterFieldChangeView {
  /** The roster column (`leftOn`, `department`…). */
  field: string;
  /** Message key of the column's name (`membership.roster.columns.*`). */
  fieldKey: string;
  from: string | null;
  to: string | null;
  /** The values are dates ('YYYY-MM-DD'), to be shown in the page's language; otherwise text as HR wrote it. */
  isDate: boolean;
}

export interface RosterChangeView {
  line: number;
  employeeNumber: string;
  name: string;
  email: string;
  kind: RosterChangeKindView;
  /** Message keys of what changes (for updates). */
  fieldKeys: string[];
  /** The changed HR fields with old → new values (empty for a new entry, and on previews made before they were kept). */
  fieldChanges: RosterFieldChangeView[];
  /** The entry is linked to the existing member with the row's address. */
  linksMember: boolean;
}

export interface RosterImportSummaryView {
  importId: string;
  fileName: string;
  state: RosterImportStateView;
  uploadedAt: Date;
  uploadedByName: string | null;
  totalRows: number;
  issueCount: number;
  /** What the job did once it finished, else what the preview planned. */
  counts: RosterCountsView;
  finishedAt: Date | null;
}

export interface RosterImportView extends RosterImportSummaryView {
  fileSize: number;
  encoding: 'utf-8' | 'utf-8-bom' | 'cp932' | null;
  planned: RosterCountsView;
  applied: RosterCountsView | null;
  processedRows: number;
  /** 0–100, for the progress bar. */
  percent: number;
  confirmedAt: Date | null;
  confirmedByName: string | null;
  startedAt: Date | null;
  /** Message key of why the job failed. */
  failureKey: string | null;
  /**
   * Leavers who were not mailed because they have no personal address and their leaving date had passed (the company
   * address is presumed dead); HR finds them under "no personal address" in the member list. Null until the job ends.
   */
  leaversNotMailed: number | null;
  /** The planned changes (up to `changesLimit` of each kind), in file order. */
  changes: RosterChangeView[];
  changesLimit: number;
  /** Every problem, in file order (up to `issuesLimit`). */
  issues: RosterIssueView[];
  issuesLimit: number;
  canConfirm: boolean;
  canDiscard: boolean;
  /** Queued or running: the page follows the progress. */
  inProgress: boolean;
}

export class GetRosterImportQuery extends Query<RosterImportView> {
  constructor(readonly actor: Viewer, readonly importId: string) {
    super();
  }
}

/** Recent imports, newest first. */
export class ListRosterImportsQuery extends Query<Page<RosterImportSummaryView>> {
  constructor(readonly actor: Viewer, readonly page = 1) {
    super();
  }
}

/** Membership's own BullMQ queues, named here so that the operations dashboard can list them. */
export const MEMBERSHIP_QUEUES = { rosterImport: 'roster-import', photos: 'membership-photos' } as const;
