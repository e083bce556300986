import { Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetMemberNamesQuery } from '@modules/membership/contracts';
import { DecideModerationCommand, ModerationEvents, type ModerationDecidedEvent } from '@modules/moderation/contracts';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import {
  GetPostNoticeQuery,
  GetPostReactionsSinceQuery,
  ModeratePostCommand,
  ModerateThreadCommand,
  THREAD_MODERATIONS,
  type PostNoticeView,
} from '../contracts';
import { canReadBoard } from '../domain/forum-rules';
import { ForumStore, boardAccess, type BoardRow } from './forum-store';
import { FORUM_POST_SUBJECT, readablePost } from './posting.handlers';

function requireOperator(viewer: Viewer): void {
  if (!AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
}

@CommandHandler(ModerateThreadCommand)
export class ModerateThreadHandler implements ICommandHandler<ModerateThreadCommand> {
  constructor(
    private readonly store: ForumStore,
    private readonly commands: CommandBus,
  ) {}

  async execute({ viewer, threadId, action, toBoardId }: ModerateThreadCommand): Promise<void> {
    requireOperator(viewer);
    if (!THREAD_MODERATIONS.includes(action)) throw new ForbiddenError();
    const { thread, board } = await this.store.thread(viewer, threadId);
    const detail: Record<string, unknown> = { action, threadId: thread.id, title: thread.title, boardId: board.id };
    switch (action) {
      case 'pin-board':
      case 'pin-site':
        await this.store.sql('update networking.thread set pinned = ? where id = ?', [action === 'pin-site' ? 'site' : 'board', thread.id]);
        break;
      case 'unpin':
        await this.store.sql('update networking.thread set pinned = null where id = ?', [thread.id]);
        break;
      case 'lock':
      case 'unlock':
        await this.store.sql(`update networking.thread set locked_at = ${action === 'lock' ? 'coalesce(locked_at, now())' : 'null'} where id = ?`, [thread.id]);
        break;
      case 'hide':
      case 'show':
        await this.store.sql(`update networking.thread set hidden_at = ${action === 'hide' ? 'coalesce(hidden_at, now())' : 'null'} where id = ?`, [thread.id]);
        break;
      case 'move': {
        const target = await this.store.board(viewer, toBoardId ?? '');
        if (target.id === board.id) return;
        await this.store.em.fork().transactional(async (tx) => {
          await tx.execute('update networking.thread set board_id = ? where id = ?', [target.id, thread.id]);
          await tx.execute('update networking.post set board_id = ? where thread_id = ?', [target.id, thread.id]);
          await tx.execute('update networking.post_image set board_id = ? where post_id in (select id from networking.post where thread_id = ?)', [target.id, thread.id]);
          await tx.execute('update networking.board set thread_count = thread_count - 1, post_count = post_count - ? where id = ?', [thread.post_count, board.id]);
          // Both boards' "latest thread" and activity are taken again from their threads (the thread index).
          await tx.execute('update networking.board set thread_count = thread_count + 1, post_count = post_count + ? where id = ?', [thread.post_count, target.id]);
          await tx.execute(
            `update networking.board b set (last_thread_id, last_post_at) = (
               select t.id, t.last_post_at from networking.thread t where t.board_id = b.id and t.hidden_at is null order by t.last_post_at desc limit 1)
             where b.id in (?, ?)`,
            [board.id, target.id],
          );
        });
        detail.toBoardId = target.id;
        break;
      }
    }
    await this.commands.execute(new RecordAuditEventCommand(viewer, 'forum.moderated', { detail }));
  }
}

@CommandHandler(ModeratePostCommand)
export class ModeratePostHandler implements ICommandHandler<ModeratePostCommand> {
  constructor(
    private readonly store: ForumStore,
    private readonly commands: CommandBus,
  ) {}

  async execute({ viewer, postId, action, note }: ModeratePostCommand): Promise<void> {
    requireOperator(viewer);
    const { post } = await readablePost(this.store, viewer, postId);
    // At once on the page; the decision (with its audit entry) closes any open reports on the post too.
    await this.store.sql(
      action === 'hide'
        ? `update networking.post set hidden_at = coalesce(hidden_at, clock_timestamp()), hidden_reason = 'moderator' where id = ?`
        : `update networking.post set hidden_at = null, hidden_reason = null where id = ?`,
      [post.id],
    );
    await this.commands.execute(new DecideModerationCommand(viewer, { type: FORUM_POST_SUBJECT, id: post.id }, action === 'hide' ? 'hide' : 'keep', note));
  }
}

/** An operator's decision in the moderation queue: the post is hidden, or shown again. */
@Injectable()
@OnIntegrationEvent(ModerationEvents.decided)
export class ApplyModerationOnDecidedHandler implements IntegrationEventHandler<ModerationDecidedEvent> {
  async handle(e: ModerationDecidedEvent, tx: EntityManager): Promise<void> {
    if (e.subjectType !== FORUM_POST_SUBJECT || !isUuid(e.subjectId)) return;
    if (e.decision === 'hide') {
      await tx.execute(`update networking.post set hidden_at = coalesce(hidden_at, clock_timestamp()), hidden_reason = 'moderator' where id = ?`, [e.subjectId]);
    } else {
      await tx.execute(`update networking.post set hidden_at = null, hidden_reason = null where id = ?`, [e.subjectId]);
    }
  }
}

/**
 * Who hears of a new post, each once with the strongest reason: mentioned members, the quoted post's author, then the
 * members watching the thread (those who started or replied to it, and those who chose to) or its board (unless they
 * muted the thread). Only approved members who may read the board; never the author, nor anyone who has read it.
 */
@QueryHandler(GetPostNoticeQuery)
export class GetPostNoticeHandler implements IQueryHandler<GetPostNoticeQuery> {
  constructor(
    private readonly store: ForumStore,
    private readonly queries: QueryBus,
  ) {}

  async execute({ postId }: GetPostNoticeQuery): Promise<PostNoticeView | null> {
    if (!isUuid(postId)) return null;
    const [row] = await this.store.sql<(BoardRow & { post_id: string; thread_id: string; title: string; number: number; author_id: string; mentions: string[]; quoted_author: string | null; deleted_at: Date | null; hidden_at: Date | null; thread_hidden: Date | null })[]>(
      `select b.*, p.id as post_id, p.thread_id, t.title, p.number, p.author_id, p.mentions, q.author_id as quoted_author, p.deleted_at, p.hidden_at, t.hidden_at as thread_hidden
         from networking.post p join networking.thread t on t.id = p.thread_id join networking.board b on b.id = p.board_id
         left join networking.post q on q.id = p.quote_post_id
        where p.id = ?`,
      [postId],
    );
    if (!row || row.deleted_at || row.hidden_at || row.thread_hidden) return null;
    const watchers = await this.store.sql<{ member_id: string }[]>(
      `select member_id from networking.thread_watch where thread_id = ? and level = 'watching'
       union
       select w.member_id from networking.board_watch w where w.board_id = ? and w.level = 'watching'
          and not exists (select 1 from networking.thread_watch m where m.member_id = w.member_id and m.thread_id = ? and m.level = 'muted')`,
      [row.thread_id, row.id, row.thread_id],
    );
    const muted = new Set(
      (await this.store.sql<{ member_id: string }[]>(`select member_id from networking.thread_watch where thread_id = ? and level = 'muted'`, [row.thread_id])).map((r) => r.member_id),
    );
    const reasons = new Map<string, PostNoticeView['recipients'][number]['reason']>();
    for (const id of row.mentions ?? []) reasons.set(id, 'mention');
    if (row.quoted_author && !reasons.has(row.quoted_author)) reasons.set(row.quoted_author, 'quote');
    for (const w of watchers) if (!reasons.has(w.member_id) && !muted.has(w.member_id)) reasons.set(w.member_id, row.number > 1 ? 'reply' : 'watching');
    reasons.delete(row.author_id);
    // A member who has already read past the post (they replied after it, or read the thread since) is not told.
    if (reasons.size) {
      const read = await this.store.sql<{ member_id: string }[]>(
        'select member_id from networking.thread_read where thread_id = ? and last_read_number >= ? and member_id in (?)',
        [row.thread_id, row.number, [...reasons.keys()]],
      );
      for (const r of read) reasons.delete(r.member_id);
    }
    const names = await this.queries.execute(new GetMemberNamesQuery([row.author_id, ...reasons.keys()], 'ja'));
    const byId = new Map(names.map((n) => [n.memberId, n]));
    const access = boardAccess(row);
    const recipients = [...reasons.entries()].filter(([id]) => {
      const n = byId.get(id);
      if (!n) return false;
      const reader: Viewer = { memberId: id, status: n.status, role: n.role, displayName: n.displayName, locale: null, sessionVersion: 0 };
      return AccessPolicy.isMember(reader) && canReadBoard(reader, access);
    });
    return {
      postId: row.post_id,
      threadId: row.thread_id,
      threadTitle: row.title,
      number: row.number,
      authorId: row.author_id,
      authorName: byId.get(row.author_id)?.displayName ?? '',
      recipients: recipients.map(([memberId, reason]) => ({ memberId, reason })),
      link: `/forum/p/${row.post_id}`,
    };
  }
}

@QueryHandler(GetPostReactionsSinceQuery)
export class GetPostReactionsSinceHandler implements IQueryHandler<GetPostReactionsSinceQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ postId, since, until }: GetPostReactionsSinceQuery) {
    if (!isUuid(postId)) return null;
    const [row] = await this.store.sql<{ author_id: string; title: string; n: string; deleted_at: Date | null; number: number }[]>(
      `select p.author_id, t.title, p.deleted_at, p.number,
              (select count(*) from networking.reaction r where r.post_id = p.id and r.created_at >= ? and r.created_at < ? and r.member_id <> p.author_id) as n
         from networking.post p join networking.thread t on t.id = p.thread_id where p.id = ?`,
      [since, until ?? new Date('9999-12-31T00:00:00Z'), postId],
    );
    if (!row || row.deleted_at) return null;
    return { postId, authorId: row.author_id, threadTitle: row.title, count: Number(row.n), link: `/forum/p/${postId}` };
  }
}
