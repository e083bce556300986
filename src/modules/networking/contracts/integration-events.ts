import type { IntegrationEvent } from '@libs/outbox/integration-event';

export const NetworkingEvents = {
  /** A thread was started or a reply written (the digest and notifications use it). */
  postCreated: 'networking.post-created',
  /**
   * Reactions to one post in one ten-minute window: every reaction in the window writes the same event id, so the
   * author gets one notice per window, never one per click. Delivered when the window ends.
   */
  reactionsBatched: 'networking.reactions-batched',
} as const;

export interface PostCreatedEvent extends IntegrationEvent {
  type: typeof NetworkingEvents.postCreated;
  postId: string;
  threadId: string;
  boardId: string;
  number: number;
  authorId: string;
  /** The first post of a new thread. */
  startsThread: boolean;
}

export interface ReactionsBatchedEvent extends IntegrationEvent {
  type: typeof NetworkingEvents.reactionsBatched;
  postId: string;
  /** The window (ISO): reactions from its start until its end are counted. */
  windowStart: string;
  windowEnd: string;
}
