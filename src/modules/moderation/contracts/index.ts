// The moderation queue: every module that lets members report something (forum posts; chat messages and comments
// next) files reports here, and operators decide on them in one queue in the HR console.
import { Command, Query } from '@nestjs/cqrs';
import type { IntegrationEvent } from '@libs/outbox/integration-event';
import type { Viewer } from '@libs/security/access-policy';

/** A reported thing, named by its module: `forum-post` (Networking) today. */
export interface ModerationSubject {
  type: string;
  id: string;
}

export const MODERATION_DECISIONS = ['hide', 'keep', 'dismiss'] as const;
/** hide: the subject stays hidden; keep: it is fine and shown again; dismiss: the reports were not about a problem. */
export type ModerationDecision = (typeof MODERATION_DECISIONS)[number];

/** How many different members must report a subject before it is hidden until an operator reviews it. */
export const AUTO_HIDE_REPORTERS = 3;
export const REPORT_REASON_MAX = 500;
export const DECISION_NOTE_MAX = 1000;

/**
 * Files a member's report. The owning module has already checked that the reporter may see the subject; `excerpt`
 * (a short plain-text quote) and `link` (a path on this site) are what operators see in the queue. A member's second
 * report of the same subject before a decision changes nothing. Answers how many different members have open
 * reports on the subject now.
 */
export class ReportContentCommand extends Command<{ reportId: string; openReporters: number; duplicate: boolean }> {
  constructor(
    readonly reporter: Viewer,
    readonly subject: ModerationSubject & { authorId: string | null; excerpt: string; link: string },
    readonly reason: string,
  ) {
    super();
  }
}

/**
 * An operator's decision on a subject's open reports (or on a subject an operator hid without reports). Closes the
 * open reports, records the decision with its note, writes the audit log, and publishes `moderation.decided` so that
 * the owning module hides or shows the subject.
 */
export class DecideModerationCommand extends Command<{ decisionId: string; closedReports: number }> {
  constructor(
    readonly operator: Viewer,
    readonly subject: ModerationSubject,
    readonly decision: ModerationDecision,
    readonly note: string,
  ) {
    super();
  }
}

export interface ModerationReportView {
  id: string;
  reporterId: string;
  reporterName: string;
  reason: string;
  createdAt: Date;
}

/** One subject waiting in the queue with its open reports. */
export interface ModerationCaseView {
  subject: ModerationSubject;
  authorId: string | null;
  authorName: string;
  excerpt: string;
  link: string;
  reports: ModerationReportView[];
  firstReportedAt: Date;
  /** Different members reporting it; at AUTO_HIDE_REPORTERS it is hidden until reviewed. */
  reporters: number;
}

export interface ModerationQueueView {
  items: ModerationCaseView[];
  total: number;
  page: number;
  pages: number;
}

export const MODERATION_PAGE_SIZE = 20;

/** The open cases, oldest report first (operators only). */
export class ListModerationQueueQuery extends Query<ModerationQueueView> {
  constructor(
    readonly operator: Viewer,
    readonly page: number,
    readonly locale: 'ja' | 'en',
  ) {
    super();
  }
}

export interface ModerationHistoryEntryView {
  kind: 'report' | 'decision';
  at: Date;
  subject: ModerationSubject;
  excerpt: string;
  link: string;
  /** Report: the reason; decision: the note. */
  text: string;
  decision: ModerationDecision | null;
  /** The reporter or the operator. */
  byName: string;
}

/** Reports about a member's posts and the decisions on them, newest first (operators only). */
export class GetModerationHistoryQuery extends Query<{ memberId: string; memberName: string; entries: ModerationHistoryEntryView[] }> {
  constructor(
    readonly operator: Viewer,
    readonly memberId: string,
    readonly locale: 'ja' | 'en',
  ) {
    super();
  }
}

/** How many subjects wait for a decision (the console's to-do count). */
export class CountOpenModerationCasesQuery extends Query<number> {
  constructor(readonly operator: Viewer) {
    super();
  }
}

export const ModerationEvents = {
  decided: 'moderation.decided',
} as const;

export interface ModerationDecidedEvent extends IntegrationEvent {
  type: typeof ModerationEvents.decided;
  subjectType: string;
  subjectId: string;
  decision: ModerationDecision;
  decisionId: string;
}
