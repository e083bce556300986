import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@libs/ddd/ids';
import { GetContentPersonalDataQuery, type ContentPersonalDataView, type ContentStatus, type ContentType, type ContentVisibility } from '../contracts';

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
const at = (d: Date | string): string => new Date(d).toISOString();

@QueryHandler(GetContentPersonalDataQuery)
export class GetContentPersonalDataHandler implements IQueryHandler<GetContentPersonalDataQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetContentPersonalDataQuery): Promise<ContentPersonalDataView> {
    const empty: ContentPersonalDataView = { items: [], editsOfOthers: [], comments: [], likes: [] };
    if (!isUuid(memberId)) return empty;
    const em = this.em.fork();
    const [items, versions, others, comments, likes] = await Promise.all([
      em.execute<{ id: string; type: ContentType; status: ContentStatus; visibility: ContentVisibility; created_at: Date; published_at: Date | null }[]>(
        'select id, type, status, visibility, created_at, published_at from content.item where author_id = ? order by created_at, id',
        [memberId],
      ),
      em.execute<{ item_id: string; seq: number; action: string; at: Date; title: string; summary: string; body: string; tags: string[] }[]>(
        `select v.item_id, v.seq, v.action, v.at, v.title, v.summary, v.body, v.tags
           from content.version v join content.item i on i.id = v.item_id where i.author_id = ? order by v.item_id, v.seq`,
        [memberId],
      ),
      em.execute<{ item_id: string; seq: number; action: string; at: Date; comment: string | null }[]>(
        `select v.item_id, v.seq, v.action, v.at, v.comment
           from content.version v join content.item i on i.id = v.item_id
          where v.by_id = ? and i.author_id is distinct from v.by_id order by v.at, v.item_id, v.seq`,
        [memberId],
      ),
      em.execute<{ id: string; item_id: string; parent_id: string | null; body: string; created_at: Date; deleted_at: Date | null; hidden_reason: string | null }[]>(
        'select id, item_id, parent_id, body, created_at, deleted_at, hidden_reason from content.comment where author_id = ? order by created_at, id',
        [memberId],
      ),
      em.execute<{ item_id: string; created_at: Date }[]>('select item_id, created_at from content."like" where member_id = ? order by created_at, item_id', [memberId]),
    ]);
    const byItem = new Map<string, ContentPersonalDataView['items'][number]['versions']>();
    for (const v of versions) {
      byItem.set(v.item_id, [...(byItem.get(v.item_id) ?? []), { seq: v.seq, action: v.action, at: at(v.at), title: v.title, summary: v.summary, body: v.body, tags: v.tags }]);
    }
    return {
      items: items.map((i) => ({
        contentId: i.id,
        type: i.type,
        status: i.status,
        visibility: i.visibility,
        createdAt: at(i.created_at),
        publishedAt: iso(i.published_at),
        versions: byItem.get(i.id) ?? [],
      })),
      editsOfOthers: others.map((v) => ({ contentId: v.item_id, seq: v.seq, action: v.action, at: at(v.at), comment: v.comment })),
      comments: comments.map((c) => ({
        commentId: c.id,
        contentId: c.item_id,
        parentId: c.parent_id,
        body: c.body,
        createdAt: at(c.created_at),
        deletedAt: iso(c.deleted_at),
        hiddenByModerators: c.hidden_reason !== null,
      })),
      likes: likes.map((l) => ({ contentId: l.item_id, createdAt: at(l.created_at) })),
    };
  }
}
