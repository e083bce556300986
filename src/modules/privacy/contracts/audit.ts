// The audit log of restricted personal data: commands, queries and views.
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { AuditAction } from './views';

/** What is recorded with an audit event besides who did what. */
export interface AuditEventInput {
  /** The member whose data was seen or exported; absent for exports of many members. */
  subject?: { id: string; name: string } | null;
  /** The restricted fields involved (e.g. contactEmail, birthDate, accountEmail). */
  fields?: string[];
  /** Extra facts, e.g. an export's filters and number of rows. Plain JSON, no personal data beyond the subject. */
  detail?: Record<string, unknown>;
  /** The HTTP request id (X-Request-Id), to find the request in the logs. */
  requestId?: string | null;
}

/**
 * Appends one event to the audit log (one INSERT; inside the caller's transaction when there is one). The actor's
 * display name is kept as it is now, so that the log stays readable after renames and deletions.
 */
export class RecordAuditEventCommand extends Command<{ auditEventId: string }> {
  constructor(
    readonly actor: Viewer,
    readonly action: AuditAction,
    readonly input: AuditEventInput = {},
  ) {
    super();
  }
}

/** Filters of the audit log. Dates are calendar days (YYYY-MM-DD) in `timeZone`, both ends included. */
export interface AuditLogFilter {
  action?: AuditAction;
  /** The actor's member id, or part of their name. */
  actor?: string;
  /** The subject's member id, or part of their name. */
  subject?: string;
  from?: string;
  to?: string;
  /** The time zone of `from`/`to`; default Asia/Tokyo. */
  timeZone?: string;
}

/** Where a page of the log starts: the events older than `before`, or newer than `after` (event ids). */
export interface AuditLogCursor {
  before?: string;
  after?: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: Date;
  actorId: string;
  actorName: string;
  action: AuditAction;
  subjectId: string | null;
  subjectName: string | null;
  fields: string[];
  detail: Record<string, unknown>;
  requestId: string | null;
}

/** One page of the log, newest first; `older`/`newer` are the cursors of the neighbouring pages, if any. */
export interface AuditLogPage {
  items: AuditEventView[];
  older: string | null;
  newer: string | null;
}

/** The audit log for HR admins, newest first, filtered and paged by cursor (admins only). */
export class SearchAuditLogQuery extends Query<AuditLogPage> {
  constructor(
    readonly actor: Viewer,
    readonly filter: AuditLogFilter = {},
    readonly cursor: AuditLogCursor = {},
    readonly pageSize = 50,
  ) {
    super();
  }
}
