// Content (コンテンツ配信): company news, industry information, columns and event reports — written by members and
// operators, reviewed by operators, read, liked, discussed and shared.
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';

export type ContentLocale = 'ja' | 'en';

export const CONTENT_TYPES = ['news', 'industry', 'column', 'event-report'] as const;
/** news: 企業ニュース (news, press releases, IR); industry: 業界情報; column: コラム; event-report: イベントレポート. */
export type ContentType = (typeof CONTENT_TYPES)[number];

export const CONTENT_VISIBILITIES = ['public', 'members', 'alumni', 'employees'] as const;
/** public: visitors too (stable URL, OGP, feed, sitemap); the others as AccessPolicy.canSee decides. */
export type ContentVisibility = (typeof CONTENT_VISIBILITIES)[number];

export const CONTENT_LANGUAGES = ['ja', 'en'] as const;
export type ContentLanguage = (typeof CONTENT_LANGUAGES)[number];

/**
 * An item's state (domain/content-workflow.ts is the state machine):
 * draft → submitted → (returned → submitted …) → published | scheduled → published; declined; published → unpublished.
 * Operators may publish or schedule their own drafts directly, and re-publish an unpublished item.
 */
export const CONTENT_STATUSES = ['draft', 'submitted', 'returned', 'declined', 'scheduled', 'published', 'unpublished'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/**
 * The state of a pending revision of a published item (a member's edit goes through review while the published
 * version stays online). `null` on the item when there is none.
 */
export const REVISION_STATUSES = ['draft', 'submitted', 'returned'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

/** The workflow's actions, as the audit log, the revision history and the API errors name them. */
export const CONTENT_ACTIONS = [
  'create',
  'edit',
  'submit',
  'withdraw',
  'publish',
  'schedule',
  'return',
  'decline',
  'unpublish',
  'discard',
] as const;
export type ContentAction = (typeof CONTENT_ACTIONS)[number];

export const CONTENT_PAGE_SIZE = 12;
export const COMMENTS_PAGE_SIZE = 50;
export const TITLE_MAX = 120;
export const SUMMARY_MAX = 300;
export const BODY_MAX = 50_000;
export const TAGS_MAX = 8;
export const TAG_MAX = 30;
export const COMMENT_MAX = 5_000;
export const RETURN_COMMENT_MAX = 2_000;
/** Featured (pinned) items on the home page and at the top of /content. */
export const FEATURED_MAX = 4;
/** Reading speed for 読了時間: Japanese characters per minute (English: 230 words a minute). */
export const READING_CHARS_PER_MINUTE = 500;

export interface ContentAuthorView {
  /** null for a deleted account. */
  memberId: string | null;
  /** 退会したメンバー / Deleted member for a deleted account. */
  displayName: string;
  deleted: boolean;
  /**
   * The author's card as the viewer may see it (Membership's GetMemberProfileQuery, so the author's profile privacy
   * holds): null for visitors, for a deleted author and when the viewer may not see the profile.
   */
  card: {
    photoId: string | null;
    lastDepartment: string | null;
    lastPosition: string | null;
    status: 'employee' | 'alumni' | string;
    /** /members/:id */
    profileUrl: string;
  } | null;
}

export interface ContentCoverView {
  imageId: string;
  /** Paths of the renditions: `card` (640×360), `og` (1200×630), `full` (long side ≤ 2048). */
  cardUrl: string;
  ogUrl: string;
  fullUrl: string;
  alt: string;
  /** The `og` rendition's size (1200×630, or smaller for a smaller picture), where the item's page knows it. */
  ogWidth?: number;
  ogHeight?: number;
}

export interface ContentEventLinkView {
  eventId: string;
  title: string;
  startsAt: Date;
  /** /events/:id */
  url: string;
}

/** A card in lists, the home page, related items and search. */
export interface ContentCardView {
  id: string;
  type: ContentType;
  title: string;
  summary: string;
  tags: string[];
  visibility: ContentVisibility;
  language: ContentLanguage;
  status: ContentStatus;
  /** A pending revision of a published item and where it is in review (shown to its author and operators). */
  revisionStatus: RevisionStatus | null;
  /** When a scheduled item goes online. */
  scheduledAt: Date | null;
  author: ContentAuthorView;
  cover: ContentCoverView | null;
  publishedAt: Date | null;
  readingMinutes: number;
  likes: number;
  comments: number;
  views: number;
  featured: boolean;
  /** /content/:id */
  url: string;
}

/** What the editor edits: a version of an item (the published one, or a pending revision, or a draft). */
export interface ContentVersionView {
  title: string;
  summary: string;
  /** Markdown source. */
  body: string;
  /** Sanitised HTML of the body, exactly as the article page shows it. */
  html: string;
  tags: string[];
  type: ContentType;
  visibility: ContentVisibility;
  language: ContentLanguage;
  eventId: string | null;
  cover: ContentCoverView | null;
}

export interface ContentItemView extends ContentCardView {
  /** The version readers see (the published one; for drafts and items under review, the latest draft). */
  version: ContentVersionView;
  event: ContentEventLinkView | null;
  /** The last operator's comment when returned or declined. */
  reviewComment: string | null;
  /** The pending revision of a published item (author and operators only). */
  revision: { status: RevisionStatus; version: ContentVersionView; reviewComment: string | null; updatedAt: Date } | null;
  liked: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Absolute canonical URL (BASE_URL + url). */
  canonicalUrl: string;
  /** What the viewer may do now (the server checks again on every request). */
  can: {
    edit: boolean;
    submit: boolean;
    withdraw: boolean;
    publish: boolean;
    return: boolean;
    decline: boolean;
    unpublish: boolean;
    feature: boolean;
    discard: boolean;
    like: boolean;
    comment: boolean;
  };
}

export interface ContentListView {
  items: ContentCardView[];
  total: number;
  page: number;
  pages: number;
  /** Folded search words, for highlighting. */
  words: string[];
}

export interface ContentInput {
  type: ContentType;
  title: string;
  summary: string;
  body: string;
  tags: string[];
  visibility: ContentVisibility;
  language: ContentLanguage;
  /** event-report only: the past event it reports on (the author must be able to see it). */
  eventId?: string | null;
  /** Keep (undefined), set (an image id from UploadContentImageCommand with purpose `cover`) or remove (null). */
  coverImageId?: string | null;
  coverAlt?: string;
}

// ---- Writing ----

/** A new draft (any approved member; operators too). */
export class CreateContentCommand extends Command<{ contentId: string }> {
  constructor(readonly viewer: Viewer, readonly input: ContentInput) {
    super();
  }
}

/**
 * Saves the editor: on a draft/returned/submitted item (author; operators too) it changes the working version; on a
 * published item a member's save writes the pending revision (the published version stays online), an operator's
 * save is published at once. Every save is a revision in the history. `autosave` marks saves the editor makes by
 * itself (kept as one revision per minute, not one per keystroke). Partial: fields left undefined stay.
 */
export class UpdateContentCommand extends Command<{ status: ContentStatus; revisionStatus: RevisionStatus | null }> {
  constructor(
    readonly viewer: Viewer,
    readonly contentId: string,
    readonly input: Partial<ContentInput>,
    readonly options: { autosave?: boolean } = {},
  ) {
    super();
  }
}

/** The author submits the item (or the pending revision of a published item) for review. */
export class SubmitContentCommand extends Command<{ status: ContentStatus; revisionStatus: RevisionStatus | null }> {
  constructor(readonly viewer: Viewer, readonly contentId: string) {
    super();
  }
}

/** The author takes a submitted item (or revision) back to draft. */
export class WithdrawContentCommand extends Command<{ status: ContentStatus; revisionStatus: RevisionStatus | null }> {
  constructor(readonly viewer: Viewer, readonly contentId: string) {
    super();
  }
}

/**
 * Operators: publish now (`at` absent or not in the future) or schedule for `at` (publishing again with another
 * `at` moves the schedule). On a published item with a submitted revision, publishes the revision.
 */
export class PublishContentCommand extends Command<{ status: ContentStatus; publishedAt: Date | null; scheduledAt: Date | null }> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly at?: Date | null) {
    super();
  }
}

/** Operators: back to the author with a comment (the author is told, can revise and resubmit). Item or revision. */
export class ReturnContentCommand extends Command<{ status: ContentStatus; revisionStatus: RevisionStatus | null }> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly comment: string) {
    super();
  }
}

/** Operators: declined (the author is told; a declined revision is dropped, the published version stays). */
export class DeclineContentCommand extends Command<{ status: ContentStatus; revisionStatus: RevisionStatus | null }> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly comment: string) {
    super();
  }
}

/** Operators (and the author of their own item): takes a published or scheduled item offline. */
export class UnpublishContentCommand extends Command<{ status: ContentStatus }> {
  constructor(readonly viewer: Viewer, readonly contentId: string) {
    super();
  }
}

/** The author discards a draft never published (or the pending revision of a published item); operators any unpublished item. */
export class DiscardContentCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly contentId: string) {
    super();
  }
}

/** Operators pin (feature) a published item on the home page and /content, or unpin it; at most FEATURED_MAX. */
export class FeatureContentCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly featured: boolean) {
    super();
  }
}

/**
 * An image for an item, through libs/images (type checked, re-encoded, EXIF stripped, resized). `cover`: the card
 * and OGP crops are made around `focus` (0–1 from the left/top; the most interesting part when absent). `body`: an
 * image in the Markdown, answered with the snippet to insert.
 */
export class UploadContentImageCommand extends Command<{ imageId: string; url: string; markdown: string; width: number; height: number }> {
  constructor(
    readonly viewer: Viewer,
    readonly contentId: string,
    readonly purpose: 'cover' | 'body',
    readonly bytes: Buffer,
    readonly focus?: { x: number; y: number },
  ) {
    super();
  }
}

/** Runs a scheduled publication (the delayed job); does nothing unless the item is still scheduled for `at`. */
export class PublishScheduledContentCommand extends Command<{ outcome: 'published' | 'skipped' }> {
  constructor(readonly contentId: string, readonly at: Date) {
    super();
  }
}

// ---- Reading ----

export interface ContentListFilter {
  type?: ContentType;
  /** As typed; matched folded. */
  tag?: string;
  q?: string;
  /** Calendar days YYYY-MM-DD (Asia/Tokyo), both included, on the publication date. */
  from?: string;
  to?: string;
}

/** Published items the viewer may see (visitors: public only), newest first; with `q`, Japanese-aware search. */
export class ListContentQuery extends Query<ContentListView> {
  constructor(readonly viewer: Viewer | null, readonly filter: ContentListFilter, readonly page: number, readonly locale: ContentLocale) {
    super();
  }
}

/**
 * One item for its page: published items for those who may see them; drafts and items under review for their
 * author and operators only. Not found (404) otherwise — the same answer whether it exists or not.
 */
export class GetContentQuery extends Query<ContentItemView> {
  constructor(readonly viewer: Viewer | null, readonly contentId: string, readonly locale: ContentLocale) {
    super();
  }
}

/** Featured items and the latest, for the home page and the top of /content (visitors: public only). */
export class GetContentHomeQuery extends Query<{ featured: ContentCardView[]; latest: ContentCardView[] }> {
  constructor(readonly viewer: Viewer | null, readonly locale: ContentLocale, readonly latest = 4) {
    super();
  }
}

/** Published items sharing tags with the item (most shared tags, then newest), that the viewer may see. */
export class ListRelatedContentQuery extends Query<ContentCardView[]> {
  constructor(readonly viewer: Viewer | null, readonly contentId: string, readonly locale: ContentLocale, readonly limit = 3) {
    super();
  }
}

/** The viewer's own items in every state (the "my articles" page), newest change first. */
export class ListMyContentQuery extends Query<ContentListView> {
  constructor(readonly viewer: Viewer, readonly page: number, readonly locale: ContentLocale) {
    super();
  }
}

/** Operators: items and revisions waiting for review (submitted), oldest first; scheduled items after them. */
export class ListReviewQueueQuery extends Query<{ waiting: ContentCardView[]; revisions: ContentCardView[]; scheduled: (ContentCardView & { scheduledAt: Date })[] }> {
  constructor(readonly viewer: Viewer, readonly locale: ContentLocale) {
    super();
  }
}

export interface ContentRevisionView {
  id: string;
  action: ContentAction;
  /** Who made it. */
  byName: string;
  at: Date;
  /** The fields this revision changed from the one before it (title, summary, body, tags, …). */
  changed: string[];
  comment: string | null;
  version: ContentVersionView;
}

/** Every revision, newest first, with who changed what (author and operators). */
export class ListContentRevisionsQuery extends Query<ContentRevisionView[]> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly locale: ContentLocale) {
    super();
  }
}

/** Renders Markdown exactly as the article page will (the editor's preview). */
export class PreviewContentQuery extends Query<{ html: string; readingMinutes: number }> {
  constructor(readonly viewer: Viewer, readonly body: string, readonly language: ContentLanguage) {
    super();
  }
}

/** Published items of an event's reports that the viewer may see (the event's page). */
export class ListEventReportsQuery extends Query<ContentCardView[]> {
  constructor(readonly viewer: Viewer | null, readonly eventId: string, readonly locale: ContentLocale) {
    super();
  }
}

/** Whether the viewer may see a content image, and how it may be cached; null when not (or unknown). */
export class GetContentImageAccessQuery extends Query<{ public: boolean } | null> {
  constructor(readonly viewer: Viewer | null, readonly imageId: string) {
    super();
  }
}

// ---- Likes, comments, views ----

/** One like per member; `on` false takes it back. Answers the item's count. */
export class LikeContentCommand extends Command<{ likes: number; liked: boolean }> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly on: boolean) {
    super();
  }
}

export interface ContentCommentView {
  id: string;
  parentId: string | null;
  author: { memberId: string | null; displayName: string; deleted: boolean };
  /** Sanitised HTML; empty when deleted or hidden from this viewer. */
  html: string;
  createdAt: Date;
  deleted: boolean;
  hidden: boolean;
  /** Replies (one level), oldest first. */
  replies: ContentCommentView[];
  canDelete: boolean;
  canReport: boolean;
  canReply: boolean;
}

export class ListContentCommentsQuery extends Query<{ items: ContentCommentView[]; total: number; page: number; pages: number }> {
  constructor(readonly viewer: Viewer | null, readonly contentId: string, readonly page: number, readonly locale: ContentLocale) {
    super();
  }
}

/**
 * An article's page in one read of the item: the item as the viewer sees it, and — when it is online — up to
 * `relatedLimit` related items and a page of its comments (the same answers as GetContentQuery,
 * ListRelatedContentQuery and ListContentCommentsQuery).
 */
export class GetContentArticleQuery extends Query<{
  item: ContentItemView;
  related: ContentCardView[];
  comments: { items: ContentCommentView[]; total: number; page: number; pages: number } | null;
}> {
  constructor(readonly viewer: Viewer | null, readonly contentId: string, readonly commentsPage: number, readonly locale: ContentLocale, readonly relatedLimit = 3) {
    super();
  }
}

/**
 * One comment (or reply) the viewer may see, with where it is: its item and the page of the item's comments that
 * shows it (`url`, with the comment's anchor). Null when there is no such comment or its item is not the viewer's to
 * read.
 */
export class GetContentCommentQuery extends Query<{ contentId: string; contentTitle: string; page: number; url: string; comment: ContentCommentView } | null> {
  constructor(readonly viewer: Viewer | null, readonly commentId: string, readonly locale: ContentLocale) {
    super();
  }
}

/** A comment on a published item the viewer may see; `parentId` must be a top-level comment (one level of replies). */
export class CommentOnContentCommand extends Command<{ commentId: string }> {
  constructor(readonly viewer: Viewer, readonly contentId: string, readonly body: string, readonly parentId?: string | null) {
    super();
  }
}

/** The comment's author or an operator: it stays in its place as 削除されました. */
export class DeleteContentCommentCommand extends Command<void> {
  constructor(readonly viewer: Viewer, readonly commentId: string) {
    super();
  }
}

/** Reports a comment to the moderation queue (subject type `content-comment`); AUTO_HIDE_REPORTERS hide it. */
export class ReportContentCommentCommand extends Command<{ reportId: string; hidden: boolean }> {
  constructor(readonly viewer: Viewer, readonly commentId: string, readonly reason: string) {
    super();
  }
}

/**
 * Records that a page view happened, off the request path: the page only appends to a Redis list (no database
 * work); the worker moves the views into the database, one per item, viewer and day (Asia/Tokyo). `viewerKey` is
 * the member id, or for a visitor a keyed hash of the session id.
 */
export class RecordContentViewCommand extends Command<void> {
  constructor(readonly contentId: string, readonly viewerKey: string) {
    super();
  }
}

export interface ContentFiguresView {
  /** Per published item, most viewed first. */
  items: { id: string; title: string; type: ContentType; publishedAt: Date | null; views: number; likes: number; comments: number }[];
  /** Per month (YYYY-MM, Asia/Tokyo), oldest first, over the last `months`. */
  months: { month: string; published: number; views: number; likes: number; comments: number }[];
}

/** Operators: views, likes and comments per item and per month (the dashboard issue charts them). */
export class GetContentFiguresQuery extends Query<ContentFiguresView> {
  constructor(readonly viewer: Viewer, readonly months = 12, readonly limit = 50) {
    super();
  }
}

// ---- Public items: feed and sitemap ----

export interface PublicContentEntryView {
  id: string;
  title: string;
  summary: string;
  authorName: string;
  type: ContentType;
  tags: string[];
  language: ContentLanguage;
  publishedAt: Date;
  updatedAt: Date;
  /** Absolute. */
  url: string;
  /** Absolute, or null. */
  imageUrl: string | null;
}

/** The newest public published items (the Atom feed and the sitemap); nothing of the other visibilities. */
export class ListPublicContentQuery extends Query<PublicContentEntryView[]> {
  constructor(readonly limit = 50) {
    super();
  }
}

// ---- Demo data ----

/** Demo content in Japanese for every type (once; a site with content is left alone). */
export class SeedDemoContentCommand extends Command<{ created: number }> {
  constructor() {
    super();
  }
}

// ---- For Notifications ----

/** What a notice about an item says of it; no visibility check (callers are notices). */
export interface ContentNoticeView {
  id: string;
  title: string;
  authorId: string | null;
  status: ContentStatus;
  /** When a scheduled item goes online (null otherwise). */
  scheduledAt: Date | null;
  /** /content/:id */
  link: string;
}

export class GetContentNoticeQuery extends Query<ContentNoticeView | null> {
  constructor(readonly contentId: string) {
    super();
  }
}

/** Likes an item received in a window (one batched notice to its author). */
export class GetContentLikesSinceQuery extends Query<{ contentId: string; authorId: string; title: string; count: number; link: string } | null> {
  constructor(readonly contentId: string, readonly since: Date, readonly until?: Date) {
    super();
  }
}

/** Who is told about a new comment: the item's author and, for a reply, the parent comment's author (not the writer). */
export class GetCommentNoticeQuery extends Query<{ commentId: string; contentId: string; title: string; authorId: string; authorName: string; recipients: { memberId: string; reason: 'comment' | 'reply' }[]; link: string } | null> {
  constructor(readonly commentId: string) {
    super();
  }
}

// ---- Personal data ----

/** What Content holds about a member, for their personal-data export: what they wrote (every version), commented and liked. */
export interface ContentPersonalDataView {
  items: {
    contentId: string;
    type: ContentType;
    status: ContentStatus;
    visibility: ContentVisibility;
    createdAt: string;
    publishedAt: string | null;
    /** Every version they saved of their own items, oldest first, with the Markdown they typed. */
    versions: { seq: number; action: string; at: string; title: string; summary: string; body: string; tags: string[] }[];
  }[];
  /** Versions they saved of others' items (operators editing). */
  editsOfOthers: { contentId: string; seq: number; action: string; at: string; comment: string | null }[];
  comments: { commentId: string; contentId: string; parentId: string | null; body: string; createdAt: string; deletedAt: string | null; hiddenByModerators: boolean }[];
  likes: { contentId: string; createdAt: string }[];
}

export class GetContentPersonalDataQuery extends Query<ContentPersonalDataView> {
  constructor(readonly memberId: string) {
    super();
  }
}
