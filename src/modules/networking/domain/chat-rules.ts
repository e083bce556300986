import { AccessPolicy, type MemberStatus, type Viewer } from '@libs/security/access-policy';
import {
  CHANNEL_AUDIENCES,
  CLIENT_ID_MAX,
  DM_POLICIES,
  MESSAGES_PAGE_SIZE,
  REPLAY_MAX,
  type ChannelAudience,
  type ConversationKind,
  type DmPolicy,
  type GroupRole,
} from '../contracts';

/**
 * Who may do what in chat, as pure functions of what is known about the viewer and the conversation. Only approved
 * members (employees and alumni) take part at all; pending, suspended and deleted accounts see nothing.
 *
 * - Channels: read by their audience (`members`: every approved member; `alumni`; `employees`), and by operators
 *   whatever the audience. Anyone who may read joins and leaves; only joined members write; archived channels are
 *   read-only. Operators create, rename and archive them and hide messages in them.
 * - DMs: only the two participants read; writing is checked every time (`mayDirectMessage`).
 * - Groups: only their members read. A listed group is known to every member (who may ask to join); a secret one
 *   only to its members and to those it invited — to anyone else it does not exist (404). The owner invites,
 *   approves, removes and hands over; the owner leaves only as the last member, or after handing over.
 */

export interface ConversationFacts {
  kind: ConversationKind;
  audience: ChannelAudience | null;
  /** Groups: findable in the group list. */
  listed: boolean;
  archived: boolean;
  /** The viewer has a member row (joined the channel; in the group or DM). */
  joined: boolean;
  role: GroupRole | null;
  /** The viewer's pending invitation to the group, or their own pending join request. */
  pending: 'invite' | 'join' | null;
  memberCount: number;
}

/** Whether an approved member's status fits a channel's audience (operators read every channel besides). */
export function audienceFits(status: MemberStatus, audience: ChannelAudience): boolean {
  if (status !== 'employee' && status !== 'alumni') return false;
  return audience === 'members' || (audience === 'alumni' && status === 'alumni') || (audience === 'employees' && status === 'employee');
}

/** The channel audiences a viewer reads, for `audience in (…)` in SQL (none for anyone not approved). */
export function readableAudiences(viewer: Viewer | null | undefined): ChannelAudience[] {
  if (!AccessPolicy.isMember(viewer)) return [];
  if (AccessPolicy.isOperator(viewer)) return [...CHANNEL_AUDIENCES];
  return CHANNEL_AUDIENCES.filter((a) => audienceFits(viewer!.status, a));
}

export function isChannelAudience(value: unknown): value is ChannelAudience {
  return typeof value === 'string' && (CHANNEL_AUDIENCES as readonly string[]).includes(value);
}

export function isDmPolicy(value: unknown): value is DmPolicy {
  return typeof value === 'string' && (DM_POLICIES as readonly string[]).includes(value);
}

export function canReadConversation(viewer: Viewer | null | undefined, c: ConversationFacts): boolean {
  if (!AccessPolicy.isMember(viewer)) return false;
  if (c.kind === 'channel') return c.audience !== null && (AccessPolicy.isOperator(viewer) || audienceFits(viewer!.status, c.audience));
  return c.joined;
}

/** Whether the viewer may know the conversation exists (otherwise it answers 404): readers, and listed or inviting groups. */
export function canKnowConversation(viewer: Viewer | null | undefined, c: ConversationFacts): boolean {
  if (canReadConversation(viewer, c)) return true;
  if (!AccessPolicy.isMember(viewer) || c.kind !== 'group' || c.archived) return false;
  return c.listed || c.pending === 'invite';
}

/** Writing: a reader with a member row, not archived; in a DM also `dmOpen` (see mayDirectMessage). */
export function canPostConversation(viewer: Viewer | null | undefined, c: ConversationFacts, dmOpen = true): boolean {
  if (!canReadConversation(viewer, c) || !c.joined || c.archived) return false;
  return c.kind !== 'dm' || dmOpen;
}

/** Channels: a reader who has not joined, not archived. Groups: a listed one (or one that invited the viewer) not asked yet. */
export function canJoinConversation(viewer: Viewer | null | undefined, c: ConversationFacts): boolean {
  if (!AccessPolicy.isMember(viewer) || c.joined || c.archived) return false;
  if (c.kind === 'channel') return canReadConversation(viewer, c);
  if (c.kind === 'group') return (c.listed || c.pending === 'invite') && c.pending !== 'join';
  return false;
}

/** Channels and groups; a group's owner only as its last member (hand it over first). Nobody leaves a DM. */
export function canLeaveConversation(viewer: Viewer | null | undefined, c: ConversationFacts): boolean {
  if (!AccessPolicy.isMember(viewer) || !c.joined || c.kind === 'dm') return false;
  return c.kind === 'channel' || c.role !== 'owner' || c.memberCount <= 1;
}

/** Operators manage channels; a group's owner manages the group. */
export function canManageConversation(viewer: Viewer | null | undefined, c: ConversationFacts): boolean {
  if (c.kind === 'channel') return AccessPolicy.isOperator(viewer);
  if (c.kind === 'group') return AccessPolicy.isMember(viewer) && c.joined && c.role === 'owner' && !c.archived;
  return false;
}

/** Operators hide messages in channels (groups and DMs are private: reports reach the moderation queue instead). */
export function canModerateConversation(viewer: Viewer | null | undefined, c: ConversationFacts): boolean {
  return c.kind === 'channel' && AccessPolicy.isOperator(viewer);
}

export interface DirectMessageFacts {
  /** The other member is the viewer. */
  self: boolean;
  senderStatus: MemberStatus;
  /** null: no such member. */
  recipientStatus: MemberStatus | null;
  /** A block either way. */
  blocked: boolean;
  senderPolicy: DmPolicy;
  recipientPolicy: DmPolicy;
  /** They share a DM that has at least one message, or a group chat. */
  known: boolean;
}

/**
 * Whether a DM may be started or written now. Both must be approved members and different; a block either way
 * closes it; `nobody` closes every DM of that member, both ways (a member who takes no messages writes none that could
 * not be answered); `known` lets in only members they already share a DM with a message, or a group, with.
 */
export function mayDirectMessage(f: DirectMessageFacts): boolean {
  const approved = (s: MemberStatus | null) => s === 'employee' || s === 'alumni';
  if (f.self || !approved(f.senderStatus) || !approved(f.recipientStatus) || f.blocked) return false;
  if (f.senderPolicy === 'nobody' || f.recipientPolicy === 'nobody') return false;
  return f.recipientPolicy === 'everyone' || f.known;
}

/** The unique key of the DM between two members: both ids, sorted, joined. */
export function dmKey(a: string, b: string): string {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()].sort();
  return `${x}:${y}`;
}

/**
 * The new read position: only forward, never past the conversation's last seq (a client that claims to have read
 * seq 10 000 of a conversation of 12 messages has read 12). Anything not a number is "no move".
 */
export function clampReadSeq(current: number, requested: number, lastSeq: number): number {
  const wanted = Number.isFinite(requested) ? Math.trunc(requested) : 0;
  return Math.max(current, Math.min(wanted, lastSeq));
}

const CLIENT_ID = new RegExp(`^[A-Za-z0-9_-]{1,${CLIENT_ID_MAX}}$`);

/** A client-generated message id: 1–64 of A–Z a–z 0–9 _ - . */
export function isValidClientId(value: unknown): value is string {
  return typeof value === 'string' && CLIENT_ID.test(value);
}

export interface MessageFacts {
  authorId: string;
  deleted: boolean;
  hidden: boolean;
}

/** Whether the text of a message is shown: not deleted, and not hidden unless the viewer moderates the conversation. */
export function showsMessageText(viewer: Viewer | null | undefined, c: ConversationFacts, m: MessageFacts): boolean {
  return !m.deleted && (!m.hidden || canModerateConversation(viewer, c));
}

/** The author edits their own message while it is neither deleted nor hidden and they may still write there. */
export function canEditMessage(viewer: Viewer | null | undefined, c: ConversationFacts, m: MessageFacts, dmOpen = true): boolean {
  return !!viewer && viewer.memberId === m.authorId && !m.deleted && !m.hidden && canPostConversation(viewer, c, dmOpen);
}

/** The author deletes their own message while they may read the conversation (also when it is archived or closed). */
export function canDeleteMessage(viewer: Viewer | null | undefined, c: ConversationFacts, m: MessageFacts): boolean {
  return !!viewer && viewer.memberId === m.authorId && !m.deleted && canReadConversation(viewer, c);
}

/** A reader reports someone else's message that is not deleted. */
export function canReportMessage(viewer: Viewer | null | undefined, c: ConversationFacts, m: MessageFacts): boolean {
  return canReadConversation(viewer, c) && viewer!.memberId !== m.authorId && !m.deleted;
}

export type MessagePage = { mode: 'after'; seq: number; limit: number } | { mode: 'before'; seq: number | null; limit: number };

/**
 * `after` (replay) wins over `before`: up to REPLAY_MAX in ascending order. Otherwise the page before `before` (or the
 * latest), 1–MESSAGES_PAGE_SIZE messages. Negative or non-numbers fall back to the defaults.
 */
export function messagePage(page: { after?: number; before?: number; limit?: number } | null | undefined): MessagePage {
  const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
  const after = int(page?.after);
  if (after !== null && after >= 0) return { mode: 'after', seq: after, limit: REPLAY_MAX };
  const before = int(page?.before);
  const limit = Math.min(Math.max(int(page?.limit) ?? MESSAGES_PAGE_SIZE, 1), MESSAGES_PAGE_SIZE);
  return { mode: 'before', seq: before !== null && before > 0 ? before : null, limit };
}
