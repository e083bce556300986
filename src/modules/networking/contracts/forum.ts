// The forum: boards, threads, posts, reactions, reading state, watching, search and moderation.
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';

export type ForumLocale = 'ja' | 'en';

export const BOARD_VISIBILITIES = ['members', 'alumni', 'employees', 'operators'] as const;
export type BoardVisibilityView = (typeof BOARD_VISIBILITIES)[number];
export const THREAD_STARTERS = ['members', 'operators'] as const;
export type ThreadStartersView = (typeof THREAD_STARTERS)[number];

/** The fixed set of reactions; a member gives each kind at most once per post. */
export const REACTION_KINDS = ['like', 'heart', 'smile', 'tada', 'thanks', 'eyes'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
export const REACTION_EMOJI: Record<ReactionKind, string> = { like: '👍', heart: '❤️', smile: '😄', tada: '🎉', thanks: '🙏', eyes: '👀' };

export const WATCH_LEVELS = ['watching', 'normal', 'muted'] as const;
/** watching: told about every new post; normal: told about replies to, mentions and quotes of you; muted: nothing. */
export type WatchLevel = (typeof WATCH_LEVELS)[number];

export const FORUM_PAGE_SIZE = 20;
export const THREADS_PAGE_SIZE = 30;
export const TITLE_MAX = 120;
export const BODY_MAX = 20_000;
export const POST_IMAGES_MAX = 4;

export interface AuthorView {
  /** null for a post whose author's account was deleted. */
  memberId: string | null;
  /** 退会したメンバー / Deleted member for a deleted account. */
  displayName: string;
  deleted: boolean;
}

export interface BoardView {
  id: string;
  /** In the reader's language (Japanese when there is no English). */
  name: string;
  description: string;
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  visibility: BoardVisibilityView;
  /** Visitors (not signed in) may read it too. */
  publicReadable: boolean;
  threadStarters: ThreadStartersView;
  archived: boolean;
  position: number;
  threadCount: number;
  postCount: number;
  lastPostAt: Date | null;
  lastThread: { id: string; title: string } | null;
  /** Threads with posts the viewer has not read (0 for visitors). */
  unread: number;
  canStartThread: boolean;
  watch: WatchLevel;
}

export interface ThreadListItemView {
  id: string;
  boardId: string;
  title: string;
  author: AuthorView;
  createdAt: Date;
  lastPostAt: Date;
  lastPostAuthor: AuthorView | null;
  /** Posts after the first. */
  replies: number;
  lastNumber: number;
  pinned: 'board' | 'site' | null;
  locked: boolean;
  hidden: boolean;
  /** The viewer never opened it (and it is newer than their board's watermark). */
  isNew: boolean;
  /** Posts after the last one the viewer read (0 when read); for a new thread, all of them. */
  unreadPosts: number;
  /** The first post number the viewer has not read, or null. */
  firstUnreadNumber: number | null;
}

export interface ThreadListView {
  board: BoardView;
  /** Pinned threads (board and site-wide) come first on page 1. */
  items: ThreadListItemView[];
  total: number;
  page: number;
  pages: number;
}

export interface ReactionCountView {
  kind: ReactionKind;
  emoji: string;
  count: number;
  /** The viewer gave this one. */
  mine: boolean;
}

export interface PostImageView {
  id: string;
  width: number;
  height: number;
}

export interface PostView {
  id: string;
  threadId: string;
  number: number;
  author: AuthorView;
  /** Sanitised HTML of the Markdown body; empty when deleted, or hidden from this viewer. */
  html: string;
  /** The Markdown source, for its author's edit form and operators; null otherwise. */
  body: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
  /** Hidden by an operator or by reports; operators still see the text. */
  hidden: boolean;
  quote: { postId: string; number: number; authorName: string } | null;
  reactions: ReactionCountView[];
  images: PostImageView[];
  canEdit: boolean;
  canDelete: boolean;
  canReport: boolean;
  canReact: boolean;
}

export interface ThreadSummaryView {
  id: string;
  title: string;
  board: { id: string; name: string; visibility: BoardVisibilityView; archived: boolean };
  author: AuthorView;
  createdAt: Date;
  postCount: number;
  lastNumber: number;
  pinned: 'board' | 'site' | null;
  locked: boolean;
  hidden: boolean;
  watch: WatchLevel;
}

export interface ThreadView {
  thread: ThreadSummaryView;
  posts: PostView[];
  page: number;
  pages: number;
  canReply: boolean;
  /** Operators: pin, lock, move, hide. */
  canModerate: boolean;
  lastReadNumber: number;
  /** The first post the viewer has not read, or null when all are read. */
  firstUnreadNumber: number | null;
}

export interface BoardInput {
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  visibility: BoardVisibilityView;
  publicReadable: boolean;
  threadStarters: ThreadStartersView;
}

export interface PostInput {
  body: string;
  quotePostId?: string | null;
  /** Images uploaded with the post (already size-checked bytes); re-encoded through libs/images. */
  images?: Buffer[];
}

// ---- Boards (operators) ----

export class CreateBoardCommand extends Command<{ boardId: string }> {
  constructor(readonly viewer: Viewer, readonly input: BoardInput) {
    super();
  }
}

export class UpdateBoardCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly boardId: string, readonly input: BoardInput) {
    super();
  }
}

/** Archives a board (read-only, listed last) or brings it back. */
export class ArchiveBoardCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly boardId: string, readonly archived: boolean) {
    super();
  }
}

/** Moves a board one place up or down in the list. */
export class MoveBoardCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly boardId: string, readonly direction: 'up' | 'down') {
    super();
  }
}

/** Boards the viewer may read, in order (archived last), with counts and the viewer's unread threads. */
export class ListBoardsQuery extends Query<BoardView[]> {
  constructor(readonly viewer: Viewer | null, readonly locale: ForumLocale) {
    super();
  }
}

/** One board for its edit form (operators); every board, archived too. */
export class GetBoardQuery extends Query<BoardView> {
  constructor(readonly viewer: Viewer | null, readonly boardId: string, readonly locale: ForumLocale) {
    super();
  }
}

// ---- Threads and posts ----

/** Threads pinned site-wide, in the boards the viewer reads (the forum's front page). */
export class ListSitePinnedThreadsQuery extends Query<ThreadListItemView[]> {
  constructor(readonly viewer: Viewer | null, readonly locale: ForumLocale) {
    super();
  }
}

export class ListThreadsQuery extends Query<ThreadListView> {
  constructor(readonly viewer: Viewer | null, readonly boardId: string, readonly page: number, readonly locale: ForumLocale) {
    super();
  }
}

/** A page of FORUM_PAGE_SIZE posts (page 0 or beyond the end is the last page); `pageSize` is for benchmarks. */
export class GetThreadQuery extends Query<ThreadView> {
  constructor(
    readonly viewer: Viewer | null,
    readonly threadId: string,
    readonly page: number,
    readonly locale: ForumLocale,
    readonly pageSize: number = FORUM_PAGE_SIZE,
  ) {
    super();
  }
}

/** Where a post is: its thread and page (for /forum/p/:postId). */
export class LocatePostQuery extends Query<{ threadId: string; number: number; page: number }> {
  constructor(readonly viewer: Viewer | null, readonly postId: string) {
    super();
  }
}

export class StartThreadCommand extends Command<{ threadId: string; postId: string }> {
  constructor(readonly viewer: Viewer, readonly boardId: string, readonly title: string, readonly post: PostInput) {
    super();
  }
}

export class ReplyToThreadCommand extends Command<{ postId: string; number: number; page: number }> {
  constructor(readonly viewer: Viewer, readonly threadId: string, readonly post: PostInput) {
    super();
  }
}

/** The author edits their post (marked edited; the earlier text is kept for operators). */
export class EditPostCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly postId: string, readonly body: string) {
    super();
  }
}

/** The author (or an operator) deletes a post: it stays in its place as 削除されました. */
export class DeletePostCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly postId: string) {
    super();
  }
}

/** Earlier versions of a post, newest first (operators). */
export class ListPostRevisionsQuery extends Query<{ body: string; writtenAt: Date; replacedAt: Date }[]> {
  constructor(readonly viewer: Viewer, readonly postId: string) {
    super();
  }
}

/** Adds (`on`) or takes back a reaction; answers the post's counts. */
export class ReactToPostCommand extends Command<ReactionCountView[]> {
  constructor(readonly viewer: Viewer, readonly postId: string, readonly kind: ReactionKind, readonly on: boolean) {
    super();
  }
}

/** Reports a post to the moderation queue; at AUTO_HIDE_REPORTERS different members it is hidden until reviewed. */
export class ReportPostCommand extends Command<{ reportId: string; hidden: boolean }> {
  constructor(readonly viewer: Viewer, readonly postId: string, readonly reason: string) {
    super();
  }
}

// ---- Reading state and watching ----

/**
 * The viewer opened the forum: the first visit starts their reading state (what was written before counts as read),
 * and a visit more than 30 minutes after the last one moves "since your previous visit" (for /forum/new) forward.
 */
export class RecordForumVisitCommand extends Command<{ previousVisitAt: Date }> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}

/** The viewer has read the thread up to post `number` (it only moves forward). */
export class MarkThreadReadCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly threadId: string, readonly number: number) {
    super();
  }
}

/** Everything in the board written until now counts as read (one write). */
export class MarkBoardReadCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly boardId: string) {
    super();
  }
}

export class WatchThreadCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly threadId: string, readonly level: WatchLevel) {
    super();
  }
}

export class WatchBoardCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly boardId: string, readonly level: WatchLevel) {
    super();
  }
}

export interface ThreadFeedView {
  items: (ThreadListItemView & { boardName: string })[];
  total: number;
  page: number;
  pages: number;
}

/** Watched threads (started, replied to or watched, and those of watched boards) with posts the viewer has not read. */
export class ListUnreadThreadsQuery extends Query<ThreadFeedView> {
  constructor(readonly viewer: Viewer, readonly page: number, readonly locale: ForumLocale) {
    super();
  }
}

/** Threads started since the viewer's previous visit to the forum, in boards they read. */
export class ListNewThreadsQuery extends Query<ThreadFeedView> {
  constructor(readonly viewer: Viewer, readonly page: number, readonly locale: ForumLocale) {
    super();
  }
}

// ---- Search and mentions ----

export interface ForumSearchFilter {
  q: string;
  boardId?: string;
  authorId?: string;
  /** Calendar days YYYY-MM-DD (Asia/Tokyo), both included. */
  from?: string;
  to?: string;
}

export interface ForumSearchHitView {
  postId: string;
  threadId: string;
  threadTitle: string;
  boardId: string;
  boardName: string;
  number: number;
  author: AuthorView;
  createdAt: Date;
  /** Plain text around the first match (highlight it with the query's words). */
  snippet: string;
  /** /forum/p/:postId */
  url: string;
}

export interface ForumSearchView {
  items: ForumSearchHitView[];
  /** The folded words searched for, for highlighting. */
  words: string[];
  /** Matches, counted up to 200: when `more` is true there are at least that many ("200件以上"). */
  total: number;
  more: boolean;
  page: number;
  pages: number;
}

export class SearchForumQuery extends Query<ForumSearchView> {
  constructor(readonly viewer: Viewer | null, readonly filter: ForumSearchFilter, readonly page: number, readonly locale: ForumLocale) {
    super();
  }
}

export interface MentionCandidateView {
  memberId: string;
  displayName: string;
  displayNameKana: string;
  /** What to type after @ (the name without spaces). */
  handle: string;
}

/** Members whose name or reading starts with `prefix` and who may read the board (the @mention autocomplete). */
export class SuggestMentionsQuery extends Query<MentionCandidateView[]> {
  constructor(readonly viewer: Viewer, readonly boardId: string, readonly prefix: string) {
    super();
  }
}

// ---- Moderation (operators) ----

export const THREAD_MODERATIONS = ['pin-board', 'pin-site', 'unpin', 'lock', 'unlock', 'hide', 'show', 'move'] as const;
export type ThreadModeration = (typeof THREAD_MODERATIONS)[number];

export class ModerateThreadCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly threadId: string, readonly action: ThreadModeration, readonly toBoardId?: string) {
    super();
  }
}

/** An operator hides a post (or shows it again) from the thread page; recorded as a moderation decision. */
export class ModeratePostCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly postId: string, readonly action: 'hide' | 'show', readonly note = '') {
    super();
  }
}

// ---- Images ----

/** Whether the viewer may see a forum image, and how it may be cached; null when not (or unknown). */
export class GetForumImageAccessQuery extends Query<{ public: boolean } | null> {
  constructor(readonly viewer: Viewer | null, readonly imageId: string) {
    super();
  }
}

// ---- Demo data ----

/** Creates the demo community's boards and threads (once; a forum that has boards is left alone). */
export class SeedDemoForumCommand extends Command<{ boards: number; threads: number }> {
  constructor() {
    super();
  }
}

// ---- For Notifications ----

export interface PostNoticeView {
  postId: string;
  threadId: string;
  threadTitle: string;
  number: number;
  authorId: string;
  authorName: string;
  /** Members to tell, each once, with the strongest reason; all may read the board, none is the author. */
  recipients: { memberId: string; reason: 'mention' | 'quote' | 'reply' | 'watching' }[];
  /** /forum/p/:postId */
  link: string;
}

/** Who is told about a new post and why (watchers, mentioned and quoted members who may read its board). */
export class GetPostNoticeQuery extends Query<PostNoticeView | null> {
  constructor(readonly postId: string) {
    super();
  }
}

/** Reactions a post received from `since` until `until` (one window, for one batched notice to its author). */
export class GetPostReactionsSinceQuery extends Query<{ postId: string; authorId: string; threadTitle: string; count: number; link: string } | null> {
  constructor(readonly postId: string, readonly since: Date, readonly until?: Date) {
    super();
  }
}
