import type { IntegrationEvent } from '@libs/outbox/integration-event';

export const NetworkingEvents = {
  /** A thread was started or a reply written (the digest and notifications use it). */
  postCreated: 'networking.post-created',
  /**
   * Reactions to one post in one ten-minute window: every reaction in the window writes the same event id, so the
   * author gets one notice per window, never one per click. Delivered when the window ends.
   */
  reactionsBatched: 'networking.reactions-batched',
  /**
   * A chat message was committed (its live delivery to sockets does not wait for this). Delivered about
   * CHAT_NOTICE_DELAY_MS later, so that Notifications tells DM recipients and mentioned members who have not read it
   * and are not connected.
   */
  chatMessageCreated: 'networking.chat-message-created',
} as const;

/** How long after a chat message its notice waits (a member reading live in that time gets no bell). */
export const CHAT_NOTICE_DELAY_MS = 30_000;

export interface ChatMessageCreatedEvent extends IntegrationEvent {
  type: typeof NetworkingEvents.chatMessageCreated;
  messageId: string;
  conversationId: string;
  kind: 'channel' | 'dm' | 'group';
  seq: number;
  authorId: string;
  /** DMs: the other member. Channels and groups: none (only mentions notify there). */
  recipientIds: string[];
  /** Members mentioned in the message who may read the conversation. */
  mentionIds: string[];
}

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
