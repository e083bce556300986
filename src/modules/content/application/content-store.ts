import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { isUuid } from '@libs/ddd/ids';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetMemberNamesQuery, type MemberNameView } from '@modules/membership/contracts';
import {
  COMMENTS_PAGE_SIZE,
  CONTENT_VISIBILITIES,
  type ContentAuthorView,
  type ContentCardView,
  type ContentCoverView,
  type ContentLanguage,
  type ContentLocale,
  type ContentStatus,
  type ContentType,
  type ContentVersionView,
  type ContentVisibility,
  type RevisionStatus,
} from '../contracts';
import { contentImagePath, type ContentFields } from '../domain/content-input';
import { isOnline, type WorkflowActor, type WorkflowState } from '../domain/content-workflow';
import { ContentNotFoundError } from '../domain/content.errors';

/** A row of content.item. */
export interface ItemRow {
  id: string;
  author_id: string | null;
  status: ContentStatus;
  revision_status: RevisionStatus | null;
  working_version_id: string | null;
  published_version_id: string | null;
  revision_version_id: string | null;
  type: ContentType;
  visibility: ContentVisibility;
  language: ContentLanguage;
  title: string;
  summary: string;
  tags: string[];
  tag_keys: string[];
  cover_image_id: string | null;
  cover_alt: string;
  event_id: string | null;
  reading_minutes: number;
  review_comment: string | null;
  scheduled_at: Date | null;
  published_at: Date | null;
  first_published_at: Date | null;
  featured_at: Date | null;
  like_count: number;
  comment_count: number;
  view_count: number;
  created_at: Date;
  updated_at: Date;
}

/** A row of content.version. */
export interface VersionRow {
  id: string;
  item_id: string;
  seq: number;
  action: string;
  by_id: string | null;
  by_name: string;
  at: Date;
  changed: string[];
  comment: string | null;
  autosave: boolean;
  type: ContentType;
  visibility: ContentVisibility;
  language: ContentLanguage;
  title: string;
  summary: string;
  body: string;
  html: string;
  tags: string[];
  event_id: string | null;
  cover_image_id: string | null;
  cover_alt: string;
  /** The cover's stored size (the `full` rendition), when the query joined it. */
  cover_width?: number | null;
  cover_height?: number | null;
}

/** The columns of a card (lists read content.item only). */
export const CARD_COLUMNS = `i.id, i.author_id, i.status, i.revision_status, i.type, i.visibility, i.language, i.title, i.summary, i.tags,
  i.cover_image_id, i.cover_alt, i.reading_minutes, i.published_at, i.featured_at, i.like_count, i.comment_count, i.view_count, i.scheduled_at,
  i.updated_at, i.created_at`;

export type CardRow = Pick<
  ItemRow,
  | 'id'
  | 'author_id'
  | 'status'
  | 'revision_status'
  | 'type'
  | 'visibility'
  | 'language'
  | 'title'
  | 'summary'
  | 'tags'
  | 'cover_image_id'
  | 'cover_alt'
  | 'reading_minutes'
  | 'published_at'
  | 'featured_at'
  | 'like_count'
  | 'comment_count'
  | 'view_count'
  | 'scheduled_at'
  | 'updated_at'
  | 'created_at'
>;

export const fieldsOfVersion = (v: VersionRow): ContentFields => ({
  type: v.type,
  visibility: v.visibility,
  language: v.language,
  title: v.title,
  summary: v.summary,
  body: v.body,
  tags: v.tags ?? [],
  eventId: v.event_id,
  coverImageId: v.cover_image_id,
  coverAlt: v.cover_alt,
});

export const workflowState = (item: Pick<ItemRow, 'status' | 'revision_status' | 'first_published_at'>): WorkflowState => ({
  status: item.status,
  revisionStatus: item.revision_status,
  everPublished: item.first_published_at !== null,
});

/** The viewer relative to an item: its author (an approved member) and/or an operator. */
export const actorOf = (viewer: Viewer | null, item: Pick<ItemRow, 'author_id'>): WorkflowActor => ({
  isAuthor: !!viewer && AccessPolicy.isMember(viewer) && item.author_id !== null && viewer.memberId === item.author_id,
  isOperator: AccessPolicy.isOperator(viewer),
});

/** The content visibilities a viewer reads (visitors: public only). */
export function readableVisibilities(viewer: Viewer | null): ContentVisibility[] {
  const levels = new Set<string>(AccessPolicy.visibleLevels(viewer));
  return CONTENT_VISIBILITIES.filter((v) => levels.has(v));
}

/** Whether a viewer reads an item: published and visible to them; the author and operators in any state. */
export function canRead(viewer: Viewer | null, item: Pick<ItemRow, 'status' | 'visibility' | 'author_id'>): boolean {
  const actor = actorOf(viewer, item);
  if (actor.isOperator || actor.isAuthor) return true;
  return isOnline(item.status) && readableVisibilities(viewer).includes(item.visibility);
}

/** Whether the item is online for this viewer as a reader (likes, comments, related). */
export function readsPublished(viewer: Viewer | null, item: Pick<ItemRow, 'status' | 'visibility'>): boolean {
  return isOnline(item.status) && readableVisibilities(viewer).includes(item.visibility);
}

/** The size of a crop of a picture of this size: the crop's own size, scaled down to fit (never enlarged), as libs/images makes it. */
export function cropSize(source: { width: number; height: number }, crop: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, source.width / crop.width, source.height / crop.height);
  return { width: Math.max(1, Math.round(crop.width * scale)), height: Math.max(1, Math.round(crop.height * scale)) };
}

export const coverView = (imageId: string | null, alt: string, size?: { width: number; height: number } | null): ContentCoverView | null => {
  if (!imageId) return null;
  const og = size ? cropSize(size, { width: 1200, height: 630 }) : null;
  return {
    imageId,
    cardUrl: contentImagePath(imageId, 'card'),
    ogUrl: contentImagePath(imageId, 'og'),
    fullUrl: contentImagePath(imageId, 'full'),
    alt,
    ...(og ? { ogWidth: og.width, ogHeight: og.height } : {}),
  };
};

export const versionView = (v: VersionRow): ContentVersionView => ({
  title: v.title,
  summary: v.summary,
  body: v.body,
  html: v.html,
  tags: v.tags ?? [],
  type: v.type,
  visibility: v.visibility,
  language: v.language,
  eventId: v.event_id,
  cover: coverView(v.cover_image_id, v.cover_alt, v.cover_width && v.cover_height ? { width: v.cover_width, height: v.cover_height } : null),
});

export const contentUrl = (id: string) => `/content/${id}`;

/** Timestamp columns of Content's tables: raw statements answer them as text, the views want dates. */
const DATE_COLUMNS = new Set(['at', 'created_at', 'updated_at', 'published_at', 'first_published_at', 'featured_at', 'scheduled_at', 'deleted_at', 'hidden_at']);

/** Rows of a raw statement with their timestamp columns as Dates. */
export function withDates<T>(rows: T): T {
  if (!Array.isArray(rows)) return rows;
  for (const row of rows as Record<string, unknown>[]) {
    if (!row || typeof row !== 'object') continue;
    for (const key of Object.keys(row)) {
      const value = row[key];
      if (typeof value === 'string' && DATE_COLUMNS.has(key)) row[key] = new Date(value);
    }
  }
  return rows;
}

const DELETED_NAME: Record<ContentLocale, string> = { ja: '退会したメンバー', en: 'Deleted member' };

/** Database reads shared by Content's handlers. */
@Injectable()
export class ContentStore {
  constructor(
    readonly em: EntityManager,
    private readonly queries: QueryBus,
    readonly config: AppConfig,
  ) {}

  /** A raw statement on a fresh entity manager's connection. */
  sql<T>(query: string, params: unknown[] = []): Promise<T> {
    return (this.em.fork().execute(query, params) as Promise<T>).then(withDates);
  }

  async item(id: string): Promise<ItemRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<ItemRow[]>('select * from content.item where id = ?', [id]);
    return row ?? null;
  }

  /** The item the viewer may read, or ContentNotFoundError (the same answer whether it exists or not). */
  async readable(viewer: Viewer | null, id: string): Promise<ItemRow> {
    const item = await this.item(id);
    if (!item || !canRead(viewer, item)) throw new ContentNotFoundError();
    return item;
  }

  /**
   * Where a comment is shown: the page of its item's top-level comments (oldest first, COMMENTS_PAGE_SIZE a page)
   * that holds it — a reply's is its parent's — and that page's address with the comment's anchor.
   */
  async commentPlace(commentId: string): Promise<{ itemId: string; page: number; url: string } | null> {
    if (!isUuid(commentId)) return null;
    const [row] = await this.sql<{ item_id: string; before: string }[]>(
      `select c.item_id,
              (select count(*) from content.comment t
                where t.item_id = c.item_id and t.parent_id is null and (t.created_at, t.id) < (top.created_at, top.id)) as before
         from content.comment c join content.comment top on top.id = coalesce(c.parent_id, c.id)
        where c.id = ?`,
      [commentId],
    );
    if (!row) return null;
    const page = Math.floor(Number(row.before) / COMMENTS_PAGE_SIZE) + 1;
    return { itemId: row.item_id, page, url: `${contentUrl(row.item_id)}${page > 1 ? `?page=${page}` : ''}#c-${commentId}` };
  }

  /** Locks the item's row for the rest of the transaction. */
  static async lock(tx: EntityManager, id: string): Promise<ItemRow | null> {
    if (!isUuid(id)) return null;
    const [row] = withDates(await tx.execute<ItemRow[]>('select * from content.item where id = ? for update', [id]));
    return row ?? null;
  }

  static async version(tx: EntityManager, id: string | null): Promise<VersionRow | null> {
    if (!id) return null;
    const [row] = withDates(await tx.execute<VersionRow[]>('select * from content.version where id = ?', [id]));
    return row ?? null;
  }

  async versions(ids: (string | null)[]): Promise<Map<string, VersionRow>> {
    const list = [...new Set(ids.filter((id): id is string => !!id))];
    if (list.length === 0) return new Map();
    const rows = await this.sql<VersionRow[]>(
      'select v.*, img.width as cover_width, img.height as cover_height from content.version v left join content.image img on img.image_id = v.cover_image_id where v.id in (?)',
      [list],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  async names(ids: (string | null | undefined)[], locale: ContentLocale): Promise<Map<string, MemberNameView>> {
    const list = [...new Set(ids.filter((id): id is string => !!id))];
    if (list.length === 0) return new Map();
    const names = await this.queries.execute(new GetMemberNamesQuery(list, locale));
    return new Map(names.map((n) => [n.memberId, n]));
  }

  static author(names: Map<string, MemberNameView>, id: string | null, locale: ContentLocale): ContentAuthorView {
    const n = id ? names.get(id) : undefined;
    if (!n || n.deleted) return { memberId: null, displayName: n?.displayName ?? DELETED_NAME[locale], deleted: true, card: null };
    return { memberId: n.memberId, displayName: n.displayName, deleted: false, card: null };
  }

  static card(row: CardRow, names: Map<string, MemberNameView>, locale: ContentLocale): ContentCardView {
    return {
      id: row.id,
      type: row.type,
      title: row.title,
      summary: row.summary,
      tags: row.tags ?? [],
      visibility: row.visibility,
      language: row.language,
      status: row.status,
      revisionStatus: row.revision_status,
      scheduledAt: row.status === 'scheduled' ? row.scheduled_at : null,
      author: ContentStore.author(names, row.author_id, locale),
      cover: coverView(row.cover_image_id, row.cover_alt),
      publishedAt: row.published_at,
      readingMinutes: row.reading_minutes,
      likes: row.like_count,
      comments: row.comment_count,
      views: row.view_count,
      featured: row.featured_at !== null,
      url: contentUrl(row.id),
    };
  }

  /** Cards of rows, with their authors' names in one query. */
  async cards(rows: CardRow[], locale: ContentLocale): Promise<ContentCardView[]> {
    const names = await this.names(rows.map((r) => r.author_id), locale);
    return rows.map((r) => ContentStore.card(r, names, locale));
  }

  canonicalUrl(id: string): string {
    return `${this.config.baseUrl}${contentUrl(id)}`;
  }
}
