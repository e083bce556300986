import { Query } from '@nestjs/cqrs';

/** What the forum holds about a member, for their personal-data export: what they wrote, gave and chose. */
export interface ForumPersonalDataView {
  threadsStarted: { threadId: string; title: string; board: string; createdAt: string }[];
  /** Their posts with the Markdown they typed (earlier versions included), deleted ones too (marked). */
  posts: {
    postId: string;
    threadId: string;
    threadTitle: string;
    number: number;
    body: string;
    createdAt: string;
    editedAt: string | null;
    deletedAt: string | null;
    hiddenByModerators: boolean;
    earlierVersions: { body: string; writtenAt: string; replacedAt: string }[];
  }[];
  reactionsGiven: { postId: string; kind: string; createdAt: string }[];
  watching: { threadId: string | null; boardId: string | null; level: string }[];
  visits: { firstVisitAt: string; lastVisitAt: string } | null;
}

/** What chat holds about a member: their conversations, their own messages (not others'), blocks and settings. */
export interface ChatPersonalDataView {
  /** DMs: `withMemberId` is the other member; channels and groups: `name`. */
  conversations: { conversationId: string; kind: string; name: string; withMemberId: string | null; role: string; joinedAt: string; lastReadSeq: number }[];
  messages: { messageId: string; conversationId: string; seq: number; body: string; createdAt: string; editedAt: string | null; deletedAt: string | null; hiddenByModerators: boolean }[];
  requests: { conversationId: string; kind: string; status: string; message: string; createdAt: string }[];
  /** Members they blocked (by id: the other member's name is not theirs to export). */
  blocked: { memberId: string; since: string }[];
  dmPolicy: string;
}

export class GetForumPersonalDataQuery extends Query<ForumPersonalDataView> {
  constructor(readonly memberId: string) {
    super();
  }
}

export class GetChatPersonalDataQuery extends Query<ChatPersonalDataView> {
  constructor(readonly memberId: string) {
    super();
  }
}
