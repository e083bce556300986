/** The jobs of Content's queue (CONTENT_QUEUES.content). Payloads carry ids and times only. */

/** Publishes one scheduled item at its time (delayed until then). */
export const PUBLISH_SCHEDULED_JOB = 'publish-scheduled';
/** Moves recorded page views from Redis into content.view (every 30 s). */
export const FLUSH_VIEWS_JOB = 'flush-views';
/** Adds again the publication jobs of items due within 10 minutes or overdue (every 5 minutes, and at start). */
export const SWEEP_SCHEDULED_JOB = 'sweep-scheduled';

export const FLUSH_VIEWS_EVERY_MS = 30_000;
export const SWEEP_SCHEDULED_EVERY_MS = 5 * 60_000;
export const SWEEP_LOOKAHEAD_MS = 10 * 60_000;

export interface PublishScheduledPayload {
  contentId: string;
  /** The time the item was scheduled for (ISO): a job for an earlier time does nothing. */
  at: string;
}

/** `content-publish-<id>-<at ms>`: the same schedule found again is the same job; a moved time is a new one. */
export const publishJobId = (contentId: string, at: Date) => `content-publish-${contentId}-${at.getTime()}`;
