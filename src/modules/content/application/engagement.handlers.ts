import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { integrationEvent, integrationEventWithId, Outbox } from '@libs/outbox';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { AUTO_HIDE_REPORTERS, ModerationEvents, REPORT_REASON_MAX, ReportContentCommand, type ModerationDecidedEvent } from '@modules/moderation/contracts';
import {
  COMMENTS_PAGE_SIZE,
  CommentOnContentCommand,
  ContentEvents,
  DeleteContentCommentCommand,
  LIKES_WINDOW_MS,
  LikeContentCommand,
  GetContentCommentQuery,
  ListContentCommentsQuery,
  ReportContentCommentCommand,
  type ContentCommentCreatedEvent,
  type ContentCommentView,
  type ContentLikesBatchedEvent,
  type ContentLocale,
} from '../contracts';
import { cleanComment, excerpt, renderComment } from '../domain/content-input';
import { CannotLikeOwnContentError, CannotReportOwnCommentError, ContentCommentNotFoundError, ContentFieldError, ContentNotFoundError, ContentNotOpenError } from '../domain/content.errors';
import { canRead, ContentStore, contentUrl, readsPublished, type ItemRow } from './content-store';

/** The moderation subject type of comments on articles. */
export const CONTENT_COMMENT_SUBJECT = 'content-comment';

interface CommentRow {
  id: string;
  item_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  html: string;
  created_at: Date;
  deleted_at: Date | null;
  hidden_at: Date | null;
}

/** The event id of one item's likes in one window: every like in the window names it (one notice per window). */
export const likesEventId = (contentId: string, windowStart: Date) => `content-likes-${contentId}-${windowStart.getTime()}`;

@CommandHandler(LikeContentCommand)
export class LikeContentHandler implements ICommandHandler<LikeContentCommand> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, contentId, on }: LikeContentCommand): Promise<{ likes: number; liked: boolean }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const item = await this.store.readable(viewer, contentId);
    if (!readsPublished(viewer, item)) throw new ContentNotOpenError();
    if (item.author_id === viewer.memberId) throw new CannotLikeOwnContentError();
    return this.store.em.fork().transactional(async (tx) => {
      const changed = on
        ? await tx.execute<unknown[]>('insert into content."like" (item_id, member_id, created_at) values (?, ?, now()) on conflict do nothing returning 1', [item.id, viewer.memberId])
        : await tx.execute<unknown[]>('delete from content."like" where item_id = ? and member_id = ? returning 1', [item.id, viewer.memberId]);
      if (changed.length === 0) {
        const [row] = await tx.execute<{ like_count: number }[]>('select like_count from content.item where id = ?', [item.id]);
        return { likes: row?.like_count ?? 0, liked: on };
      }
      const [row] = await tx.execute<{ like_count: number }[]>('update content.item set like_count = greatest(0, like_count + ?) where id = ? returning like_count', [on ? 1 : -1, item.id]);
      if (on && item.author_id) {
        // One notice per item and window: every like in the window names the same event, written once while pending
        // (a row already relayed is deduplicated by BullMQ's job id, and the handler runs once per event id).
        const windowStart = new Date(Math.floor(Date.now() / LIKES_WINDOW_MS) * LIKES_WINDOW_MS);
        const windowEnd = new Date(windowStart.getTime() + LIKES_WINDOW_MS);
        const event = integrationEventWithId(likesEventId(item.id, windowStart), ContentEvents.likesBatched, {
          contentId: item.id,
          windowStart: windowStart.toISOString(),
          windowEnd: windowEnd.toISOString(),
        } satisfies Omit<ContentLikesBatchedEvent, 'eventId' | 'type' | 'occurredAt'>);
        const message = Outbox.message(event);
        await tx.execute(
          `insert into platform.outbox (id, queue, name, payload, job_id, run_at, created_at)
           select ?, ?, ?, ?::jsonb, ?, ?, now() where not exists (select 1 from platform.outbox where job_id = ? and relayed_at is null)`,
          [message.id, message.queue, message.name, JSON.stringify(message.payload), message.jobId, windowEnd, message.jobId],
        );
      }
      return { likes: row.like_count, liked: on };
    });
  }
}

async function commentWithItem(store: ContentStore, viewer: Viewer | null, commentId: string): Promise<{ comment: CommentRow; item: ItemRow }> {
  if (!isUuid(commentId)) throw new ContentCommentNotFoundError();
  const [comment] = await store.sql<CommentRow[]>('select * from content.comment where id = ?', [commentId]);
  if (!comment) throw new ContentCommentNotFoundError();
  const item = await store.item(comment.item_id);
  if (!item || !canRead(viewer, item)) throw new ContentCommentNotFoundError();
  return { comment, item };
}

/** A comment as the viewer sees it on an item they may read (`children`: its replies, already shaped). */
function commentView(viewer: Viewer | null, item: ItemRow, c: CommentRow, names: Awaited<ReturnType<ContentStore['names']>>, locale: ContentLocale, children: ContentCommentView[]): ContentCommentView {
  const open = readsPublished(viewer, item) && AccessPolicy.isMember(viewer);
  const operator = AccessPolicy.isOperator(viewer);
  const deleted = c.deleted_at !== null;
  const hidden = c.hidden_at !== null;
  const mine = !!viewer && viewer.memberId === c.author_id && AccessPolicy.isMember(viewer);
  const author = ContentStore.author(names, c.author_id, locale);
  return {
    id: c.id,
    parentId: c.parent_id,
    author: { memberId: author.memberId, displayName: author.displayName, deleted: author.deleted },
    html: deleted || (hidden && !operator) ? '' : c.html,
    createdAt: c.created_at,
    deleted,
    hidden,
    replies: children,
    canDelete: !deleted && (mine || operator),
    canReport: open && !deleted && !hidden && !mine,
    canReply: open && c.parent_id === null && !deleted,
  };
}

@QueryHandler(ListContentCommentsQuery)
export class ListContentCommentsHandler implements IQueryHandler<ListContentCommentsQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, contentId, page, locale }: ListContentCommentsQuery) {
    return this.page(viewer, await this.store.readable(viewer, contentId), page, locale);
  }

  /** A page of `item`'s comments with their replies (the caller has checked the viewer may read the item). */
  async page(viewer: Viewer | null, item: ItemRow, page: number, locale: ContentLocale): Promise<{ items: ContentCommentView[]; total: number; page: number; pages: number }> {
    const [{ n }] = await this.store.sql<{ n: string }[]>('select count(*) as n from content.comment where item_id = ? and parent_id is null', [item.id]);
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / COMMENTS_PAGE_SIZE));
    const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
    const top = await this.store.sql<CommentRow[]>(
      'select * from content.comment where item_id = ? and parent_id is null order by created_at, id limit ? offset ?',
      [item.id, COMMENTS_PAGE_SIZE, (current - 1) * COMMENTS_PAGE_SIZE],
    );
    const replies = top.length
      ? await this.store.sql<CommentRow[]>('select * from content.comment where parent_id in (?) order by created_at, id', [top.map((c) => c.id)])
      : [];
    const names = await this.store.names([...top, ...replies].map((c) => c.author_id), locale);
    const byParent = new Map<string, CommentRow[]>();
    for (const r of replies) byParent.set(r.parent_id as string, [...(byParent.get(r.parent_id as string) ?? []), r]);
    return {
      items: top.map((c) => commentView(viewer, item, c, names, locale, (byParent.get(c.id) ?? []).map((r) => commentView(viewer, item, r, names, locale, [])))),
      total,
      page: current,
      pages,
    };
  }
}

@QueryHandler(GetContentCommentQuery)
export class GetContentCommentHandler implements IQueryHandler<GetContentCommentQuery> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, commentId, locale }: GetContentCommentQuery) {
    const place = await this.store.commentPlace(commentId);
    if (!place) return null;
    const item = await this.store.readable(viewer, place.itemId).catch((e: unknown) => {
      if (e instanceof ContentNotFoundError) return null;
      throw e;
    });
    if (!item) return null;
    const [c] = await this.store.sql<CommentRow[]>('select * from content.comment where id = ?', [commentId]);
    if (!c) return null;
    const names = await this.store.names([c.author_id], locale);
    return { contentId: item.id, contentTitle: item.title, page: place.page, url: place.url, comment: commentView(viewer, item, c, names, locale, []) };
  }
}

@CommandHandler(CommentOnContentCommand)
export class CommentOnContentHandler implements ICommandHandler<CommentOnContentCommand> {
  constructor(
    private readonly store: ContentStore,
    private readonly limits: RateLimitService,
  ) {}

  async execute({ viewer, contentId, body, parentId }: CommentOnContentCommand): Promise<{ commentId: string }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const item = await this.store.readable(viewer, contentId);
    if (!readsPublished(viewer, item)) throw new ContentNotOpenError();
    const text = cleanComment(body);
    let parent: string | null = null;
    if (parentId !== undefined && parentId !== null && parentId !== '') {
      if (!isUuid(parentId)) throw new ContentFieldError('parentId', 'parentNotFound');
      const [row] = await this.store.sql<{ id: string }[]>('select id from content.comment where id = ? and item_id = ? and parent_id is null and deleted_at is null', [parentId, item.id]);
      if (!row) throw new ContentFieldError('parentId', 'parentNotFound');
      parent = row.id;
    }
    await this.limits.consume('content:comment', viewer.memberId);
    const id = randomUUID();
    await this.store.em.fork().transactional(async (tx) => {
      await tx.execute('insert into content.comment (id, item_id, parent_id, author_id, body, html, created_at) values (?, ?, ?, ?, ?, ?, clock_timestamp())', [
        id,
        item.id,
        parent,
        viewer.memberId,
        text,
        renderComment(text),
      ]);
      await tx.execute('update content.item set comment_count = comment_count + 1 where id = ?', [item.id]);
      Outbox.publish(
        tx,
        integrationEvent(ContentEvents.commentCreated, { commentId: id, contentId: item.id, authorId: viewer.memberId, parentId: parent } satisfies Omit<
          ContentCommentCreatedEvent,
          'eventId' | 'type' | 'occurredAt'
        >),
      );
    });
    return { commentId: id };
  }
}

@CommandHandler(DeleteContentCommentCommand)
export class DeleteContentCommentHandler implements ICommandHandler<DeleteContentCommentCommand> {
  constructor(private readonly store: ContentStore) {}

  async execute({ viewer, commentId }: DeleteContentCommentCommand): Promise<void> {
    const { comment, item } = await commentWithItem(this.store, viewer, commentId);
    const mine = AccessPolicy.isMember(viewer) && viewer.memberId === comment.author_id;
    if (!mine && !AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
    if (comment.deleted_at) return;
    await this.store.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<unknown[]>('update content.comment set deleted_at = clock_timestamp() where id = ? and deleted_at is null returning 1', [comment.id]);
      if (rows.length) await tx.execute('update content.item set comment_count = greatest(0, comment_count - 1) where id = ?', [item.id]);
    });
  }
}

@CommandHandler(ReportContentCommentCommand)
export class ReportContentCommentHandler implements ICommandHandler<ReportContentCommentCommand> {
  constructor(
    private readonly store: ContentStore,
    private readonly commands: CommandBus,
  ) {}

  async execute({ viewer, commentId, reason }: ReportContentCommentCommand): Promise<{ reportId: string; hidden: boolean }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const text = (typeof reason === 'string' ? reason : '').replace(/\s+/g, ' ').trim();
    if (!text) throw new ContentFieldError('reason', 'required');
    if ([...text].length > REPORT_REASON_MAX) throw new ContentFieldError('reason', 'tooLong', { max: REPORT_REASON_MAX });
    const { comment, item } = await commentWithItem(this.store, viewer, commentId);
    if (comment.deleted_at) throw new ContentCommentNotFoundError();
    if (comment.author_id === viewer.memberId) throw new CannotReportOwnCommentError();
    const filed = await this.commands.execute(
      new ReportContentCommand(
        viewer,
        { type: CONTENT_COMMENT_SUBJECT, id: comment.id, authorId: comment.author_id, excerpt: excerpt(comment.body, 200), link: (await this.store.commentPlace(comment.id))?.url ?? `${contentUrl(item.id)}#c-${comment.id}` },
        text,
      ),
    );
    let hidden = comment.hidden_at !== null;
    if (!hidden && filed.openReporters >= AUTO_HIDE_REPORTERS) {
      const rows = await this.store.sql<unknown[]>(`update content.comment set hidden_at = clock_timestamp(), hidden_reason = 'reports' where id = ? and hidden_at is null returning 1`, [comment.id]);
      hidden = rows.length > 0 || hidden;
    }
    return { reportId: filed.reportId, hidden };
  }
}

/** An operator's decision in the moderation queue on a comment: hidden, or shown again. */
@Injectable()
@OnIntegrationEvent(ModerationEvents.decided)
export class ApplyContentModerationOnDecidedHandler implements IntegrationEventHandler<ModerationDecidedEvent> {
  async handle(e: ModerationDecidedEvent, tx: EntityManager): Promise<void> {
    if (e.subjectType !== CONTENT_COMMENT_SUBJECT || !isUuid(e.subjectId)) return;
    if (e.decision === 'hide') {
      await tx.execute(`update content.comment set hidden_at = coalesce(hidden_at, clock_timestamp()), hidden_reason = 'moderator' where id = ?`, [e.subjectId]);
    } else {
      await tx.execute(`update content.comment set hidden_at = null, hidden_reason = null where id = ?`, [e.subjectId]);
    }
  }
}
