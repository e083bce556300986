// Chat: community channels, direct messages and closed group chats. PostgreSQL is the source of truth: a message is
// committed with its conversation's next `seq` first, then sent to connected sockets; clients replay what they missed
// with `after=SEQ`.
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { ForumLocale } from './forum';

export const CONVERSATION_KINDS = ['channel', 'dm', 'group'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

/** Who may read and join a channel (operators read every channel). */
export const CHANNEL_AUDIENCES = ['members', 'alumni', 'employees'] as const;
export type ChannelAudience = (typeof CHANNEL_AUDIENCES)[number];

/**
 * Who may send the member a direct message. `everyone`: any approved member (the default); `known`: only members they
 * already have a direct conversation with or share a group chat with; `nobody`: no direct messages at all (existing
 * conversations stay readable but nobody can write in them). Blocking is separate and always wins.
 */
export const DM_POLICIES = ['everyone', 'known', 'nobody'] as const;
export type DmPolicy = (typeof DM_POLICIES)[number];

export const GROUP_ROLES = ['owner', 'member'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

/** Characters of one message (counted as code points). */
export const MESSAGE_MAX = 4000;
export const MESSAGE_IMAGES_MAX = 4;
/** Messages per page of history (the page and `before=`). */
export const MESSAGES_PAGE_SIZE = 50;
/** Most messages one `after=` answer holds; the client asks again from the last seq while `more` is true. */
export const REPLAY_MAX = 500;
export const CLIENT_ID_MAX = 64;
export const CONVERSATION_NAME_MAX = 60;
export const CONVERSATION_DESCRIPTION_MAX = 500;

export interface ChatMemberView {
  /** null for a deleted account (退会したメンバー). */
  memberId: string | null;
  displayName: string;
  deleted: boolean;
}

export interface ChatImageView {
  id: string;
  width: number;
  height: number;
}

/**
 * One message as every reader sees it (the same payload goes to every socket): whoever reads it works out `mine` from
 * `author.memberId`. Deleted messages keep their place with empty `html`; hidden ones too (operators read them through
 * `ListMessagesQuery`, whose `html` then holds the text and `hidden` stays true).
 */
export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  /** The id the sender's client generated (a resend with it answers this message again). */
  clientId: string | null;
  author: ChatMemberView;
  /** Sanitised HTML (links, @mentions, line breaks; no raw HTML). */
  html: string;
  /** The text as typed: only for its author (edit form) and operators, null otherwise and for broadcasts. */
  body: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
  hidden: boolean;
  images: ChatImageView[];
  /** Member ids mentioned in the message. */
  mentions: string[];
}

export interface ConversationSummaryView {
  id: string;
  kind: ConversationKind;
  /** Channel name in the reader's language, the group's name, or the other member's name for a DM. */
  title: string;
  description: string;
  /** DMs: the other member. */
  other: ChatMemberView | null;
  /** Channels. */
  audience: ChannelAudience | null;
  /** Groups: findable in the group list (false: secret). */
  listed: boolean;
  archived: boolean;
  memberCount: number;
  /** Whether the viewer is in it (channels: joined; groups and DMs: always true in their own list). */
  joined: boolean;
  role: GroupRole | null;
  lastSeq: number;
  lastReadSeq: number;
  /** Messages after lastReadSeq written by others and not deleted (0 when not joined). */
  unread: number;
  lastMessage: { seq: number; authorName: string; text: string; at: Date } | null;
  lastMessageAt: Date | null;
  /** /chat/c/:id */
  url: string;
}

export interface ConversationListView {
  items: ConversationSummaryView[];
  /** Sum of `unread` over every conversation the viewer is in. */
  totalUnread: number;
}

export interface GroupRequestView {
  member: ChatMemberView;
  kind: 'invite' | 'join';
  message: string;
  createdAt: Date;
}

export interface ConversationView {
  conversation: ConversationSummaryView;
  /** Names ja/en for channels (operators' edit form); empty otherwise. */
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  /** Groups: members with their role (owner first); DMs: both; channels: empty (see memberCount). */
  members: (ChatMemberView & { role: GroupRole })[];
  /** Groups, for the owner: pending join requests and invitations. */
  requests: GroupRequestView[];
  /** For the viewer: a pending invitation to this group, or their own pending join request. */
  invitedByOwner: boolean;
  requestPending: boolean;
  canRead: boolean;
  canPost: boolean;
  /** Channels (not joined, audience fits) and listed groups (ask to join). */
  canJoin: boolean;
  canLeave: boolean;
  /** Group owner: invite, approve, remove, hand over, rename. Operators for channels. */
  canManage: boolean;
  /** Operators in channels: hide messages. */
  canModerate: boolean;
  /** DMs: the other member's last read seq (既読 for the viewer's own messages up to it). */
  otherLastReadSeq: number | null;
  /** DMs: why the viewer cannot write: blocked either way or the other's policy (never says which). */
  dmClosed: boolean;
  /** DMs: the viewer has blocked the other member. */
  blockedByViewer: boolean;
}

export interface MessagePageView {
  items: MessageView[];
  /** `before=`: older messages exist; `after=`: more than REPLAY_MAX followed (ask again from the last seq). */
  more: boolean;
  /** The conversation's last seq when read. */
  lastSeq: number;
}

export interface ChannelInput {
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  audience: ChannelAudience;
}

export interface GroupInput {
  name: string;
  description: string;
  listed: boolean;
}

export interface MessageInput {
  /** Client-generated id (1–64 of A–Z a–z 0–9 _ -); a resend with the same id gives the same message. */
  clientId: string;
  body: string;
  /** Images sent with the message (size-checked bytes); re-encoded through libs/images. */
  images?: Buffer[];
}

// ---- Conversations ----

/** The conversations the viewer is in (joined channels, groups, DMs), latest activity first, with unread counts. */
export class ListConversationsQuery extends Query<ConversationListView> {
  constructor(readonly viewer: Viewer, readonly locale: ForumLocale) {
    super();
  }
}

/** Channels the viewer may read, joined or not (archived last). */
export class ListChannelsQuery extends Query<ConversationSummaryView[]> {
  constructor(readonly viewer: Viewer, readonly locale: ForumLocale, readonly includeArchived = false) {
    super();
  }
}

/** Listed groups (and the viewer's own, secret ones too), optionally filtered by name (folded like every search). */
export class ListGroupsQuery extends Query<ConversationSummaryView[]> {
  constructor(readonly viewer: Viewer, readonly q: string | null, readonly locale: ForumLocale) {
    super();
  }
}

/** One conversation for its page; ChatNotFoundError when it does not exist or the viewer may not know of it. */
export class GetConversationQuery extends Query<ConversationView> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly locale: ForumLocale) {
    super();
  }
}

/**
 * Messages of a conversation the viewer may read: `after` gives up to REPLAY_MAX in ascending seq (replay);
 * `before` (or neither: the latest) gives up to `limit` (≤ MESSAGES_PAGE_SIZE) older ones, also ascending.
 */
export class ListMessagesQuery extends Query<MessagePageView> {
  constructor(
    readonly viewer: Viewer,
    readonly conversationId: string,
    readonly page: { after?: number; before?: number; limit?: number },
  ) {
    super();
  }
}

export interface ChatSearchView {
  items: (MessageView & { snippet: string })[];
  words: string[];
  total: number;
  more: boolean;
}

/** Japanese-aware search inside one conversation (bigrams, folded), newest first, at most 50. */
export class SearchConversationQuery extends Query<ChatSearchView> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly q: string) {
    super();
  }
}

/** Total unread over the viewer's conversations (the header badge). */
export class GetChatUnreadTotalQuery extends Query<number> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

/** Conversations the viewer receives live (joined channels, groups, DMs) with their last seq: the socket's rooms. */
export class ListChatSubscriptionsQuery extends Query<{ conversationId: string; lastSeq: number }[]> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

/** What the viewer may do in one conversation now (checked again on every socket event). null: nothing at all. */
export class GetConversationAccessQuery extends Query<{ kind: ConversationKind; read: boolean; post: boolean; member: boolean } | null> {
  constructor(readonly viewer: Viewer, readonly conversationId: string) {
    super();
  }
}

// ---- Channels (operators) ----

export class CreateChannelCommand extends Command<{ conversationId: string }> {
  constructor(readonly viewer: Viewer, readonly input: ChannelInput) {
    super();
  }
}

export class UpdateChannelCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly input: ChannelInput) {
    super();
  }
}

/** Archived channels are read-only and listed last; `false` brings one back. */
export class ArchiveChannelCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly archived: boolean) {
    super();
  }
}

/** Joins a channel whose audience the viewer belongs to; reading starts at the channel's current end. */
export class JoinChannelCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string) {
    super();
  }
}

/** Leaves a channel or a group (a group's owner hands ownership over first, unless they are its last member). */
export class LeaveConversationCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string) {
    super();
  }
}

// ---- Direct messages ----

/** The DM between the viewer and `memberId`: the same conversation every time; created on first use. */
export class OpenDirectConversationCommand extends Command<{ conversationId: string; created: boolean }> {
  constructor(readonly viewer: Viewer, readonly memberId: string) {
    super();
  }
}

/** Whether the viewer may start or write a DM with `memberId` now (a profile's "send a message" button). */
export class CanMessageMemberQuery extends Query<boolean> {
  constructor(readonly viewer: Viewer, readonly memberId: string) {
    super();
  }
}

/** Blocks (or unblocks) a member: no DMs either way; the blocked member is not told. */
export class BlockMemberCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly memberId: string, readonly blocked: boolean) {
    super();
  }
}

export class SetDmPolicyCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly policy: DmPolicy) {
    super();
  }
}

export class GetChatSettingsQuery extends Query<{ dmPolicy: DmPolicy; blocked: ChatMemberView[] }> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

// ---- Groups ----

export class CreateGroupCommand extends Command<{ conversationId: string }> {
  constructor(readonly viewer: Viewer, readonly input: GroupInput) {
    super();
  }
}

/** The owner renames or describes the group, or makes it listed / secret. */
export class UpdateGroupCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly input: GroupInput) {
    super();
  }
}

/** The owner invites a member (they accept or decline); a pending join request of theirs is approved instead. */
export class InviteToGroupCommand extends Command<{ joined: boolean }> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly memberId: string) {
    super();
  }
}

/** The invited member accepts or declines. */
export class RespondToGroupInvitationCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly accept: boolean) {
    super();
  }
}

/** A member asks to join a listed group (an invitation of theirs is accepted instead). */
export class RequestToJoinGroupCommand extends Command<{ joined: boolean }> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly message: string) {
    super();
  }
}

/** The owner approves or declines a join request. */
export class DecideJoinRequestCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly memberId: string, readonly approve: boolean) {
    super();
  }
}

/** The owner removes a member: their sockets leave the conversation at once. */
export class RemoveGroupMemberCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly memberId: string) {
    super();
  }
}

/** The owner hands the group over to another member (and stays a member). */
export class TransferGroupOwnershipCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly memberId: string) {
    super();
  }
}

// ---- Messages ----

/** Commits the message with the conversation's next seq, then sends it to connected sockets. */
export class SendMessageCommand extends Command<{ message: MessageView; created: boolean }> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly input: MessageInput) {
    super();
  }
}

export class EditMessageCommand extends Command<MessageView> {
  constructor(readonly viewer: Viewer, readonly messageId: string, readonly body: string) {
    super();
  }
}

/** The author deletes their message: it keeps its place as 削除されました. */
export class DeleteMessageCommand extends Command<MessageView> {
  constructor(readonly viewer: Viewer, readonly messageId: string) {
    super();
  }
}

/** Operators hide (or show again) a message in a channel. */
export class HideMessageCommand extends Command<MessageView> {
  constructor(readonly viewer: Viewer, readonly messageId: string, readonly hidden: boolean) {
    super();
  }
}

/** Reports a message to the moderation queue (subject kind `chat-message`). */
export class ReportMessageCommand extends Command<{ reportId: string; hidden: boolean }> {
  constructor(readonly viewer: Viewer, readonly messageId: string, readonly reason: string) {
    super();
  }
}

/**
 * The viewer has read up to `seq`: it only moves forward and never past the conversation's last seq. Clients send the
 * highest seq up to which they hold every message (never across a gap they have not fetched).
 */
export class MarkConversationReadCommand extends Command<{ lastReadSeq: number }> {
  constructor(readonly viewer: Viewer, readonly conversationId: string, readonly seq: number) {
    super();
  }
}

/** Whether the viewer may see an image sent in chat (served with the conversation's access). */
export class GetChatImageAccessQuery extends Query<boolean> {
  constructor(readonly viewer: Viewer | null, readonly imageId: string) {
    super();
  }
}

/** Creates the demo channels and a few messages in Japanese (idempotent). */
export class SeedDemoChatCommand extends Command<void> {
  constructor() {
    super();
  }
}

// ---- For Notifications ----

export interface ChatMessageNoticeView {
  messageId: string;
  conversationId: string;
  kind: ConversationKind;
  seq: number;
  conversationTitle: string;
  author: ChatMemberView;
  /** Plain text, at most 140 characters. */
  excerpt: string;
  deleted: boolean;
  /** Of `memberIds` asked about: those who may read the conversation and have not read this message yet. */
  unreadBy: string[];
}

/** A message for notices, and which of `memberIds` still have it unread. null when the message is gone. */
export class GetChatMessageNoticeQuery extends Query<ChatMessageNoticeView | null> {
  constructor(readonly messageId: string, readonly memberIds: string[], readonly locale: ForumLocale) {
    super();
  }
}

/** Which of `memberIds` have a live socket now (any web process). */
export class GetChatPresenceQuery extends Query<string[]> {
  constructor(readonly memberIds: string[]) {
    super();
  }
}
