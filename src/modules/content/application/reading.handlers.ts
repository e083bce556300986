import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isCalendarDay } from '@libs/calendar/calendar-day';
import { arrayLiteral } from '@libs/database/array-literal';
import { DomainError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { bigramWordTokens, containsPattern, LONG_TEXT_MIN_WORD, queryWords } from '@libs/search/japanese-text';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetEventQuery } from '@modules/events/contracts';
import { GetMemberProfileQuery } from '@modules/membership/contracts';
import {
  BODY_MAX,
  CONTENT_PAGE_SIZE,
  CONTENT_TYPES,
  FEATURED_MAX,
  GetContentFiguresQuery,
  GetContentHomeQuery,
  GetContentImageAccessQuery,
  GetContentQuery,
  ListContentQuery,
  ListContentRevisionsQuery,
  ListEventReportsQuery,
  ListMyContentQuery,
  ListPublicContentQuery,
  ListRelatedContentQuery,
  ListReviewQueueQuery,
  PreviewContentQuery,
  type ContentAuthorView,
  type ContentCardView,
  type ContentEventLinkView,
  type ContentFiguresView,
  type ContentItemView,
  type ContentListFilter,
  type ContentListView,
  type ContentLocale,
  type ContentRevisionView,
  type ContentType,
  type PublicContentEntryView,
} from '../contracts';
import { contentImagePath, readingMinutes, renderContentBody, tagKey } from '../domain/content-input';
import { allows } from '../domain/content-workflow';
import { ContentFieldError, ContentForbiddenError, ContentNotFoundError } from '../domain/content.errors';
import {
  actorOf,
  CARD_COLUMNS,
  canRead,
  ContentStore,
  contentUrl,
  readableVisibilities,
  readsPublished,
  versionView,
  workflowState,
  type CardRow,
  type ItemRow,
  type VersionRow,
} from './content-store';

/** A calendar day that exists (2026-02-30 does not). */
const clampPage = (page: number, pages: number) => Math.min(Math.max(1, Math.trunc(page) || 1), pages);

/** The search box's words that can be searched (two characters or more), folded. */
export function searchWords(q: string | undefined): string[] {
  const all = queryWords(q);
  const words = all.filter((w) => [...w].length >= LONG_TEXT_MIN_WORD);
  if (all.length > 0 && words.length === 0) throw new ContentFieldError('q', 'tooShort', { min: LONG_TEXT_MIN_WORD });
  return words;
}

/**
 * The SQL conditions (on `content.item i`) of published items the viewer reads, narrowed by a list filter: type, tag
 * (folded), publication days (Asia/Tokyo) and search words (every word: its bigrams through the GIN index, a word of
 * three characters or more rechecked in sequence on the folded text).
 */
export function listConditions(viewer: Viewer | null, filter: ContentListFilter): { where: string[]; params: unknown[]; words: string[] } {
  const where = [`i.status = 'published'`, 'i.visibility in (?)'];
  const params: unknown[] = [readableVisibilities(viewer)];
  if (filter.type !== undefined && filter.type !== null && (filter.type as string) !== '') {
    if (!(CONTENT_TYPES as readonly string[]).includes(filter.type)) throw new ContentFieldError('type', 'invalid');
    where.push('i.type = ?');
    params.push(filter.type);
  }
  const tag = (filter.tag ?? '').trim().replace(/^[#＃]+\s*/u, '');
  if (tag) {
    where.push('i.tag_keys @> ?::text[]');
    params.push(arrayLiteral([tagKey(tag)]));
  }
  for (const [key, op, shift] of [['from', '>=', ''], ['to', '<', ' + 1']] as const) {
    const day = (filter[key] ?? '').trim();
    if (!day) continue;
    if (!isCalendarDay(day)) throw new ContentFieldError(key, 'invalid');
    where.push(`i.published_at ${op} (?::date${shift})::timestamp at time zone 'Asia/Tokyo'`);
    params.push(day);
  }
  const words = searchWords(filter.q);
  if (words.length) {
    where.push('i.search_tokens @> ?::text[]');
    params.push(arrayLiteral([...new Set(words.flatMap(bigramWordTokens))]));
    for (const w of words.filter((w) => [...w].length > 2)) {
      where.push('i.search_text like ?');
      params.push(containsPattern(w));
    }
  }
  return { where, params, words };
}

@QueryHandler(ListContentQuery)
export class ListContentHandler implements IQueryHandler<ListContentQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, filter, page, locale }: ListContentQuery): Promise<ContentListView> {
    const { where, params, words } = listConditions(viewer, filter ?? {});
    const from = `from content.item i where ${where.join(' and ')}`;
    const [{ n }] = await this.store.sql<{ n: string }[]>(`select count(*) as n ${from}`, params);
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / CONTENT_PAGE_SIZE));
    const current = clampPage(page, pages);
    const rows = total
      ? await this.store.sql<CardRow[]>(`select ${CARD_COLUMNS} ${from} order by i.published_at desc, i.id desc limit ? offset ?`, [...params, CONTENT_PAGE_SIZE, (current - 1) * CONTENT_PAGE_SIZE])
      : [];
    return { items: await this.store.cards(rows, locale), total, page: current, pages, words };
  }
}

@QueryHandler(GetContentQuery)
export class GetContentHandler implements IQueryHandler<GetContentQuery> {
  constructor(
    private readonly store: ContentStore,
    private readonly queries: QueryBus,
  ) {}

  private async card(viewer: Viewer | null, author: ContentAuthorView): Promise<ContentAuthorView['card']> {
    if (!viewer || !AccessPolicy.isMember(viewer) || !author.memberId || author.deleted) return null;
    try {
      const p = await this.queries.execute(new GetMemberProfileQuery(viewer, author.memberId));
      return { photoId: p.photoId, lastDepartment: p.lastDepartment, lastPosition: p.lastPosition, status: p.status, profileUrl: `/members/${p.memberId}` };
    } catch (e) {
      if (e instanceof DomainError && (e.status === 404 || e.status === 403)) return null;
      throw e;
    }
  }

  private async event(viewer: Viewer | null, eventId: string | null): Promise<ContentEventLinkView | null> {
    if (!eventId) return null;
    try {
      const e = await this.queries.execute(new GetEventQuery(viewer, eventId));
      return { eventId: e.id, title: e.title, startsAt: e.startsAt, url: `/events/${e.id}` };
    } catch (e) {
      if (e instanceof DomainError && (e.status === 404 || e.status === 403)) return null;
      throw e;
    }
  }

  async execute({ viewer, contentId, locale }: GetContentQuery): Promise<ContentItemView> {
    return this.view(viewer, await this.store.readable(viewer, contentId), locale);
  }

  /** The item as the viewer sees it, from its row (which the caller has checked the viewer may read). */
  async view(viewer: Viewer | null, item: ItemRow, locale: ContentLocale): Promise<ContentItemView> {
    const actor = actorOf(viewer, item);
    const privileged = actor.isAuthor || actor.isOperator;
    const shownId = item.status === 'published' ? item.published_version_id : item.working_version_id;
    const revisionId = privileged && item.revision_status ? item.revision_version_id : null;
    const [versions, names, liked] = await Promise.all([
      this.store.versions([shownId, revisionId]),
      this.store.names([item.author_id], locale),
      viewer && AccessPolicy.isMember(viewer)
        ? this.store.sql<unknown[]>('select 1 from content."like" where item_id = ? and member_id = ?', [item.id, viewer.memberId]).then((r) => r.length > 0)
        : Promise.resolve(false),
    ]);
    const shown = versions.get(shownId ?? '');
    if (!shown) throw new ContentNotFoundError();
    const base = ContentStore.card(item, names, locale);
    const [card, event] = await Promise.all([this.card(viewer, base.author), this.event(viewer, item.event_id)]);
    const state = workflowState(item);
    const reader = readsPublished(viewer, item) && AccessPolicy.isMember(viewer);
    const revision = revisionId ? versions.get(revisionId) : undefined;
    return {
      ...base,
      author: { ...base.author, card },
      version: versionView(shown),
      event,
      scheduledAt: item.scheduled_at,
      reviewComment: (item.status === 'returned' || item.status === 'declined') && privileged ? item.review_comment : null,
      revision:
        revision && item.revision_status
          ? { status: item.revision_status, version: versionView(revision), reviewComment: item.revision_status === 'returned' ? item.review_comment : null, updatedAt: revision.at }
          : null,
      liked,
      createdAt: item.created_at,
      updatedAt: item.updated_at,
      canonicalUrl: this.store.canonicalUrl(item.id),
      can: {
        edit: allows(state, 'edit', actor),
        submit: allows(state, 'submit', actor),
        withdraw: allows(state, 'withdraw', actor),
        publish: allows(state, 'publish', actor),
        return: allows(state, 'return', actor),
        decline: allows(state, 'decline', actor),
        unpublish: allows(state, 'unpublish', actor),
        feature: actor.isOperator && item.status === 'published',
        discard: allows(state, 'discard', actor),
        like: reader && !actor.isAuthor && item.author_id !== viewer?.memberId,
        comment: reader,
      },
    };
  }
}

@QueryHandler(GetContentHomeQuery)
export class GetContentHomeHandler implements IQueryHandler<GetContentHomeQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, locale, latest }: GetContentHomeQuery): Promise<{ featured: ContentCardView[]; latest: ContentCardView[] }> {
    const levels = readableVisibilities(viewer);
    const limit = Math.min(Math.max(0, Math.trunc(latest ?? 4)), 50);
    const [featured, recent] = await Promise.all([
      this.store.sql<CardRow[]>(
        `select ${CARD_COLUMNS} from content.item i where i.featured_at is not null and i.status = 'published' and i.visibility in (?) order by i.featured_at desc, i.id desc limit ?`,
        [levels, FEATURED_MAX],
      ),
      limit
        ? this.store.sql<CardRow[]>(
            `select ${CARD_COLUMNS} from content.item i where i.status = 'published' and i.featured_at is null and i.visibility in (?) order by i.published_at desc, i.id desc limit ?`,
            [levels, limit],
          )
        : Promise.resolve([]),
    ]);
    const cards = await this.store.cards([...featured, ...recent], locale);
    return { featured: cards.slice(0, featured.length), latest: cards.slice(featured.length) };
  }
}

@QueryHandler(ListRelatedContentQuery)
export class ListRelatedContentHandler implements IQueryHandler<ListRelatedContentQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, contentId, locale, limit }: ListRelatedContentQuery): Promise<ContentCardView[]> {
    return this.related(viewer, await this.store.readable(viewer, contentId), locale, limit);
  }

  /** Published items sharing the most tags with `item` (which the caller has checked the viewer may read). */
  async related(viewer: Viewer | null, item: ItemRow, locale: ContentLocale, limit?: number): Promise<ContentCardView[]> {
    if (!item.tag_keys?.length) return [];
    const keys = arrayLiteral(item.tag_keys);
    const rows = await this.store.sql<CardRow[]>(
      `select ${CARD_COLUMNS} from content.item i
        where i.status = 'published' and i.visibility in (?) and i.id <> ? and i.tag_keys && ?::text[]
        order by cardinality(array(select unnest(i.tag_keys) intersect select unnest(?::text[]))) desc, i.published_at desc, i.id desc
        limit ?`,
      [readableVisibilities(viewer), item.id, keys, keys, Math.min(Math.max(1, Math.trunc(limit ?? 3)), 20)],
    );
    return this.store.cards(rows, locale);
  }
}

@QueryHandler(ListMyContentQuery)
export class ListMyContentHandler implements IQueryHandler<ListMyContentQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, page, locale }: ListMyContentQuery): Promise<ContentListView> {
    if (!AccessPolicy.isMember(viewer)) return { items: [], total: 0, page: 1, pages: 1, words: [] };
    const [{ n }] = await this.store.sql<{ n: string }[]>('select count(*) as n from content.item where author_id = ?', [viewer.memberId]);
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / CONTENT_PAGE_SIZE));
    const current = clampPage(page, pages);
    const rows = await this.store.sql<CardRow[]>(`select ${CARD_COLUMNS} from content.item i where i.author_id = ? order by i.updated_at desc, i.id desc limit ? offset ?`, [
      viewer.memberId,
      CONTENT_PAGE_SIZE,
      (current - 1) * CONTENT_PAGE_SIZE,
    ]);
    return { items: await this.store.cards(rows, locale), total, page: current, pages, words: [] };
  }
}

@QueryHandler(ListReviewQueueQuery)
export class ListReviewQueueHandler implements IQueryHandler<ListReviewQueueQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, locale }: ListReviewQueueQuery) {
    if (!AccessPolicy.isOperator(viewer)) throw new ContentForbiddenError('operatorsOnly');
    const [waiting, revisions, scheduled] = await Promise.all([
      this.store.sql<CardRow[]>(`select ${CARD_COLUMNS} from content.item i where i.status = 'submitted' order by i.updated_at, i.id limit 200`),
      this.store.sql<(CardRow & { revision_version_id: string })[]>(
        `select ${CARD_COLUMNS}, i.revision_version_id from content.item i where i.revision_status = 'submitted' order by i.updated_at, i.id limit 200`,
      ),
      this.store.sql<CardRow[]>(`select ${CARD_COLUMNS} from content.item i where i.status = 'scheduled' order by i.scheduled_at, i.id limit 200`),
    ]);
    const names = await this.store.names([...waiting, ...revisions, ...scheduled].map((r) => r.author_id), locale);
    // A revision is named by what it would put online.
    const versions = await this.store.versions(revisions.map((r) => r.revision_version_id));
    return {
      waiting: waiting.map((r) => ContentStore.card(r, names, locale)),
      revisions: revisions.map((r) => {
        const card = ContentStore.card(r, names, locale);
        const v = versions.get(r.revision_version_id);
        return v ? { ...card, title: v.title, summary: v.summary, tags: v.tags ?? [] } : card;
      }),
      scheduled: scheduled.map((r) => ({ ...ContentStore.card(r, names, locale), scheduledAt: r.scheduled_at as Date })),
    };
  }
}

@QueryHandler(ListContentRevisionsQuery)
export class ListContentRevisionsHandler implements IQueryHandler<ListContentRevisionsQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, contentId }: ListContentRevisionsQuery): Promise<ContentRevisionView[]> {
    const item = await this.store.readable(viewer, contentId);
    const actor = actorOf(viewer, item);
    if (!actor.isAuthor && !actor.isOperator) throw new ContentForbiddenError('notYours');
    const rows = await this.store.sql<VersionRow[]>('select * from content.version where item_id = ? order by seq desc', [item.id]);
    return rows.map((v) => ({
      id: v.id,
      action: v.action as ContentRevisionView['action'],
      byName: v.by_name,
      at: v.at,
      changed: v.changed ?? [],
      comment: v.comment,
      version: versionView(v),
    }));
  }
}

@QueryHandler(PreviewContentQuery)
export class PreviewContentHandler implements IQueryHandler<PreviewContentQuery> {
  async execute({ viewer, body, language }: PreviewContentQuery): Promise<{ html: string; readingMinutes: number }> {
    if (!AccessPolicy.isMember(viewer)) throw new ContentForbiddenError('notYours');
    const text = typeof body === 'string' ? body.replace(/\r\n?/g, '\n') : '';
    if ([...text].length > BODY_MAX) throw new ContentFieldError('body', 'tooLong', { max: BODY_MAX });
    return { html: renderContentBody(text), readingMinutes: readingMinutes(text, language === 'en' ? 'en' : 'ja') };
  }
}

@QueryHandler(ListEventReportsQuery)
export class ListEventReportsHandler implements IQueryHandler<ListEventReportsQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, eventId, locale }: ListEventReportsQuery): Promise<ContentCardView[]> {
    if (!isUuid(eventId)) return [];
    const rows = await this.store.sql<CardRow[]>(
      `select ${CARD_COLUMNS} from content.item i where i.event_id = ? and i.type = 'event-report' and i.status = 'published' and i.visibility in (?)
        order by i.published_at desc, i.id desc limit 50`,
      [eventId, readableVisibilities(viewer)],
    );
    return this.store.cards(rows, locale);
  }
}

@QueryHandler(GetContentImageAccessQuery)
export class GetContentImageAccessHandler implements IQueryHandler<GetContentImageAccessQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, imageId }: GetContentImageAccessQuery): Promise<{ public: boolean } | null> {
    if (typeof imageId !== 'string' || !/^[0-9a-f]{32}$/.test(imageId)) return null;
    const [item] = await this.store.sql<Pick<ItemRow, 'status' | 'visibility' | 'author_id'>[]>(
      'select i.status, i.visibility, i.author_id from content.image m join content.item i on i.id = m.item_id where m.image_id = ?',
      [imageId],
    );
    if (!item || !canRead(viewer, item)) return null;
    return { public: item.status === 'published' && item.visibility === 'public' };
  }
}

@QueryHandler(ListPublicContentQuery)
export class ListPublicContentHandler implements IQueryHandler<ListPublicContentQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ limit }: ListPublicContentQuery): Promise<PublicContentEntryView[]> {
    const rows = await this.store.sql<ItemRow[]>(
      `select i.* from content.item i where i.status = 'published' and i.visibility = 'public' order by i.published_at desc, i.id desc limit ?`,
      [Math.min(Math.max(1, Math.trunc(limit ?? 50)), 50_000)],
    );
    const names = await this.store.names(rows.map((r) => r.author_id), 'ja');
    const base = this.store.config.baseUrl;
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      summary: r.summary,
      authorName: ContentStore.author(names, r.author_id, 'ja').displayName,
      type: r.type,
      tags: r.tags ?? [],
      language: r.language,
      publishedAt: r.published_at as Date,
      updatedAt: r.updated_at,
      url: `${base}${contentUrl(r.id)}`,
      imageUrl: r.cover_image_id ? `${base}${contentImagePath(r.cover_image_id, 'og')}` : null,
    }));
  }
}

const MONTH_BOUNDS = (column: string) => `${column} >= (m.start::timestamp at time zone 'Asia/Tokyo') and ${column} < (m.stop::timestamp at time zone 'Asia/Tokyo')`;

@QueryHandler(GetContentFiguresQuery)
export class GetContentFiguresHandler implements IQueryHandler<GetContentFiguresQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, months, limit }: GetContentFiguresQuery): Promise<ContentFiguresView> {
    if (!AccessPolicy.isOperator(viewer)) throw new ContentForbiddenError('operatorsOnly');
    const span = Math.min(Math.max(1, Math.trunc(months ?? 12)), 60);
    const [items, perMonth] = await Promise.all([
      this.store.sql<{ id: string; title: string; type: ContentType; published_at: Date | null; view_count: number; like_count: number; comment_count: number }[]>(
        `select id, title, type, published_at, view_count, like_count, comment_count from content.item where first_published_at is not null
          order by view_count desc, published_at desc nulls last, id limit ?`,
        [Math.min(Math.max(1, Math.trunc(limit ?? 50)), 500)],
      ),
      this.store.sql<{ month: string; published: string; views: string; likes: string; comments: string }[]>(
        `with m as (
           select to_char(d, 'YYYY-MM') as month, d::date as start, (d + interval '1 month')::date as stop
             from generate_series(date_trunc('month', now() at time zone 'Asia/Tokyo') - make_interval(months => ? - 1), date_trunc('month', now() at time zone 'Asia/Tokyo'), interval '1 month') d)
         select m.month,
                (select count(*) from content.item i where ${MONTH_BOUNDS('i.first_published_at')}) as published,
                (select count(*) from content.view v where v.day >= m.start and v.day < m.stop) as views,
                (select count(*) from content."like" l where ${MONTH_BOUNDS('l.created_at')}) as likes,
                (select count(*) from content.comment c where c.deleted_at is null and ${MONTH_BOUNDS('c.created_at')}) as comments
           from m order by m.month`,
        [span],
      ),
    ]);
    return {
      items: items.map((r) => ({ id: r.id, title: r.title, type: r.type, publishedAt: r.published_at, views: r.view_count, likes: r.like_count, comments: r.comment_count })),
      months: perMonth.map((r) => ({ month: r.month, published: Number(r.published), views: Number(r.views), likes: Number(r.likes), comments: Number(r.comments) })),
    };
  }
}
