import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import {
  ContentEvents,
  GetCommentNoticeQuery,
  GetContentLikesSinceQuery,
  GetContentNoticeQuery,
  type ContentCommentCreatedEvent,
  type ContentLikesBatchedEvent,
  type ContentReviewedEvent,
} from '@modules/content/contracts';
import { SiteNotifier } from '../site-notifications/site-notifier';
import { notifiableAccount } from '../site-notifications/notifiable-account';

/** The notice kinds (texts under notifications.kinds). */
export const CONTENT_NOTICE_KINDS = {
  published: 'content-published',
  scheduled: 'content-scheduled',
  returned: 'content-returned',
  declined: 'content-declined',
  declinedNoComment: 'content-declined-no-comment',
  revisionPublished: 'content-revision-published',
  revisionReturned: 'content-revision-returned',
  revisionDeclined: 'content-revision-declined',
  revisionDeclinedNoComment: 'content-revision-declined-no-comment',
  comment: 'content-comment',
  reply: 'content-reply',
  likes: 'content-likes',
} as const;

/** How much of an operator's comment the bell shows; the whole comment is on the item's page. */
export const NOTICE_COMMENT_MAX = 200;

const shortened = (text: string) => {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > NOTICE_COMMENT_MAX ? `${chars.slice(0, NOTICE_COMMENT_MAX - 1).join('')}…` : chars.join('');
};

/** Whether the member may be told anything now (see notifiableAccount). */
const notifiable = async (queries: QueryBus, memberId: string, logger: Logger) => (await notifiableAccount(queries, memberId, logger, 'content notice')) !== null;

function reviewKind(e: ContentReviewedEvent, hasComment: boolean): string {
  const k = CONTENT_NOTICE_KINDS;
  switch (e.decision) {
    case 'published':
      return e.revision ? k.revisionPublished : k.published;
    case 'scheduled':
      return k.scheduled;
    case 'returned':
      return e.revision ? k.revisionReturned : k.returned;
    case 'declined':
      if (e.revision) return hasComment ? k.revisionDeclined : k.revisionDeclinedNoComment;
      return hasComment ? k.declined : k.declinedNoComment;
  }
}

/**
 * An operator decided on what the author submitted: published, scheduled, returned with a comment (the notice leads
 * to the editor, to revise and submit again) or declined. One notice per decision: redelivering the event (even
 * under a new event id) adds nothing, while a second return of the same item later is a new decision.
 */
@Injectable()
@OnIntegrationEvent(ContentEvents.reviewed)
export class NotifyAuthorOnContentReviewedHandler implements IntegrationEventHandler<ContentReviewedEvent> {
  private readonly logger = new Logger(NotifyAuthorOnContentReviewedHandler.name);

  constructor(private readonly queries: QueryBus) {}

  async handle(e: ContentReviewedEvent, tx: EntityManager): Promise<void> {
    const notice = await this.queries.execute(new GetContentNoticeQuery(e.contentId));
    // The item is gone, or its author's account (deleted since) no longer has one.
    if (!notice || !notice.authorId || notice.authorId !== e.authorId) return;
    if (!(await notifiable(this.queries, e.authorId, this.logger))) return;
    const comment = shortened(e.comment ?? '');
    const params: Record<string, string> = { title: notice.title };
    if (comment && (e.decision === 'returned' || e.decision === 'declined')) params.comment = comment;
    // The time it goes online, shown in the reader's zone (a later move of the schedule is the item's page to tell).
    if (e.decision === 'scheduled' && notice.scheduledAt) params.publishAt = new Date(notice.scheduledAt).toISOString();
    await SiteNotifier.notify(tx, {
      memberId: e.authorId,
      kind: reviewKind(e, comment !== ''),
      params,
      link: e.decision === 'returned' ? `${notice.link}/edit` : notice.link,
      dedupeKey: `content-reviewed:${e.contentId}:${e.decision}:${e.occurredAt}`,
    });
  }
}

/**
 * A comment or a reply: the item's author and, for a reply, the author of the comment replied to — as Content names
 * them (never the writer) — once per comment and member.
 */
@Injectable()
@OnIntegrationEvent(ContentEvents.commentCreated)
export class NotifyMembersOnContentCommentHandler implements IntegrationEventHandler<ContentCommentCreatedEvent> {
  private readonly logger = new Logger(NotifyMembersOnContentCommentHandler.name);

  constructor(private readonly queries: QueryBus) {}

  async handle(e: ContentCommentCreatedEvent, tx: EntityManager): Promise<void> {
    const notice = await this.queries.execute(new GetCommentNoticeQuery(e.commentId));
    if (!notice) return;
    for (const r of notice.recipients) {
      if (r.memberId === notice.authorId || !(await notifiable(this.queries, r.memberId, this.logger))) continue;
      await SiteNotifier.notify(tx, {
        memberId: r.memberId,
        kind: r.reason === 'reply' ? CONTENT_NOTICE_KINDS.reply : CONTENT_NOTICE_KINDS.comment,
        params: { title: notice.title, name: notice.authorName },
        link: notice.link,
        dedupeKey: `content-comment:${notice.commentId}:${r.memberId}`,
      });
    }
  }
}

/** Likes of an item in one window: one notice to its author with how many there were. */
@Injectable()
@OnIntegrationEvent(ContentEvents.likesBatched)
export class NotifyAuthorOnContentLikesBatchedHandler implements IntegrationEventHandler<ContentLikesBatchedEvent> {
  private readonly logger = new Logger(NotifyAuthorOnContentLikesBatchedHandler.name);

  constructor(private readonly queries: QueryBus) {}

  async handle(e: ContentLikesBatchedEvent, tx: EntityManager): Promise<void> {
    const since = new Date(e.windowStart);
    if (Number.isNaN(since.getTime())) return;
    const until = e.windowEnd ? new Date(e.windowEnd) : undefined;
    const likes = await this.queries.execute(new GetContentLikesSinceQuery(e.contentId, since, until && !Number.isNaN(until.getTime()) ? until : undefined));
    if (!likes || likes.count <= 0) return;
    if (!(await notifiable(this.queries, likes.authorId, this.logger))) return;
    await SiteNotifier.notify(tx, {
      memberId: likes.authorId,
      kind: CONTENT_NOTICE_KINDS.likes,
      params: { title: likes.title, count: likes.count },
      link: likes.link,
      dedupeKey: `content-likes:${e.contentId}:${e.windowStart}`,
    });
  }
}
