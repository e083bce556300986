import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetContentArticleQuery } from '../contracts';
import { ContentStore } from './content-store';
import { ListContentCommentsHandler } from './engagement.handlers';
import { GetContentHandler, ListRelatedContentHandler } from './reading.handlers';

/**
 * The article page's three answers from one read of the item: the item, its related items and a page of its
 * comments, each built exactly as its own query builds it.
 */
@QueryHandler(GetContentArticleQuery)
export class GetContentArticleHandler implements IQueryHandler<GetContentArticleQuery> {
  constructor(
    private readonly store: ContentStore,
    private readonly items: GetContentHandler,
    private readonly related: ListRelatedContentHandler,
    private readonly comments: ListContentCommentsHandler,
  ) {}

  async execute({ viewer, contentId, commentsPage, locale, relatedLimit }: GetContentArticleQuery) {
    const row = await this.store.readable(viewer, contentId);
    const online = row.status === 'published';
    const [item, related, comments] = await Promise.all([
      this.items.view(viewer, row, locale),
      online ? this.related.related(viewer, row, locale, relatedLimit) : Promise.resolve([]),
      online ? this.comments.page(viewer, row, commentsPage, locale) : Promise.resolve(null),
    ]);
    return { item, related, comments };
  }
}
