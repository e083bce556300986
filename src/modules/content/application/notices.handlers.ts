import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isUuid } from '@libs/ddd/ids';
import { GetCommentNoticeQuery, GetContentLikesSinceQuery, GetContentNoticeQuery, type ContentNoticeView, type ContentStatus } from '../contracts';
import { ContentStore, contentUrl } from './content-store';

/** What a notice says of an item (no visibility check: the callers are notices to its author). */
@QueryHandler(GetContentNoticeQuery)
export class GetContentNoticeHandler implements IQueryHandler<GetContentNoticeQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ contentId }: GetContentNoticeQuery): Promise<ContentNoticeView | null> {
    const item = await this.store.item(contentId);
    if (!item) return null;
    return { id: item.id, title: item.title, authorId: item.author_id, status: item.status, scheduledAt: item.status === 'scheduled' ? item.scheduled_at : null, link: contentUrl(item.id) };
  }
}

/** Likes of an item from others in [since, until), for the author's batched notice; null without an author. */
@QueryHandler(GetContentLikesSinceQuery)
export class GetContentLikesSinceHandler implements IQueryHandler<GetContentLikesSinceQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ contentId, since, until }: GetContentLikesSinceQuery) {
    if (!isUuid(contentId)) return null;
    const [row] = await this.store.sql<{ author_id: string | null; title: string; n: string }[]>(
      `select i.author_id, i.title,
              (select count(*) from content."like" l where l.item_id = i.id and l.created_at >= ? and l.created_at < ? and l.member_id is distinct from i.author_id) as n
         from content.item i where i.id = ?`,
      [since, until ?? new Date('9999-12-31T00:00:00Z'), contentId],
    );
    if (!row || !row.author_id) return null;
    return { contentId, authorId: row.author_id, title: row.title, count: Number(row.n), link: contentUrl(contentId) };
  }
}

/**
 * Who is told of a new comment: the item's author ('comment') and, for a reply, the parent comment's author
 * ('reply'); never the writer. Null when the comment is gone, hidden, or its item is not online.
 */
@QueryHandler(GetCommentNoticeQuery)
export class GetCommentNoticeHandler implements IQueryHandler<GetCommentNoticeQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ commentId }: GetCommentNoticeQuery) {
    if (!isUuid(commentId)) return null;
    const [row] = await this.store.sql<
      { id: string; item_id: string; author_id: string; deleted_at: Date | null; hidden_at: Date | null; title: string; item_author: string | null; status: ContentStatus; parent_author: string | null }[]
    >(
      `select c.id, c.item_id, c.author_id, c.deleted_at, c.hidden_at, i.title, i.author_id as item_author, i.status, p.author_id as parent_author
         from content.comment c join content.item i on i.id = c.item_id left join content.comment p on p.id = c.parent_id where c.id = ?`,
      [commentId],
    );
    if (!row || row.deleted_at || row.hidden_at || row.status !== 'published') return null;
    const recipients = new Map<string, 'comment' | 'reply'>();
    if (row.parent_author) recipients.set(row.parent_author, 'reply');
    if (row.item_author && !recipients.has(row.item_author)) recipients.set(row.item_author, 'comment');
    recipients.delete(row.author_id);
    const [names, place] = await Promise.all([this.store.names([row.author_id], 'ja'), this.store.commentPlace(row.id)]);
    return {
      commentId: row.id,
      contentId: row.item_id,
      title: row.title,
      authorId: row.author_id,
      authorName: ContentStore.author(names, row.author_id, 'ja').displayName,
      recipients: [...recipients.entries()].map(([memberId, reason]) => ({ memberId, reason })),
      // The page of the item's comments that shows it (a notice read later still leads to it).
      link: place?.url ?? `${contentUrl(row.item_id)}#c-${row.id}`,
    };
  }
}
