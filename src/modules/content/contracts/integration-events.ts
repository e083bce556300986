import type { IntegrationEvent } from '@libs/outbox/integration-event';
import type { ContentType, ContentVisibility } from './content';

export const ContentEvents = {
  /** An item (or a revision of it) went online: now, or when its schedule came. The digest uses it. */
  published: 'content.published',
  /** An operator decided on an item or a revision the author submitted (published, returned or declined). */
  reviewed: 'content.reviewed',
  /** A comment or a reply was written on a published item. */
  commentCreated: 'content.comment-created',
  /**
   * Likes of one item in one ten-minute window: every like in the window writes the same event id, so the author
   * gets one notice per window. Delivered when the window ends.
   */
  likesBatched: 'content.likes-batched',
} as const;

/** The window likes are batched in for their author's notice. */
export const LIKES_WINDOW_MS = 10 * 60_000;

/** Content's own BullMQ queues (the worker processes them). */
export const CONTENT_QUEUES = {
  /** `publish-scheduled` (delayed until the item's time), `flush-views` (every 30 s) and the schedule sweeper. */
  content: 'content',
} as const;

export interface ContentPublishedEvent extends IntegrationEvent {
  type: typeof ContentEvents.published;
  contentId: string;
  contentType: ContentType;
  visibility: ContentVisibility;
  authorId: string | null;
  title: string;
  /** ISO */
  publishedAt: string;
  /** A revision of an item already online (the digest lists an item once). */
  revision: boolean;
}

export interface ContentReviewedEvent extends IntegrationEvent {
  type: typeof ContentEvents.reviewed;
  contentId: string;
  authorId: string;
  decision: 'published' | 'scheduled' | 'returned' | 'declined';
  /** The operator's comment (returned, declined), else empty. */
  comment: string;
  /** It was a revision of a published item. */
  revision: boolean;
}

export interface ContentCommentCreatedEvent extends IntegrationEvent {
  type: typeof ContentEvents.commentCreated;
  commentId: string;
  contentId: string;
  authorId: string;
  parentId: string | null;
}

export interface ContentLikesBatchedEvent extends IntegrationEvent {
  type: typeof ContentEvents.likesBatched;
  contentId: string;
  /** ISO */
  windowStart: string;
  windowEnd: string;
}
