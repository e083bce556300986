import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetMemberNamesQuery, type MemberNameView } from '@modules/membership/contracts';
import type { AuthorView, BoardView, ForumLocale, ThreadListItemView, WatchLevel } from '../contracts';
import { canReadBoard, canStartThread, readableBoardLevels, seesHidden, type BoardVisibility, type ThreadStarters } from '../domain/forum-rules';
import { ForumNotFoundError } from '../domain/forum.errors';
import { isUuid } from '@libs/ddd/ids';

export interface BoardRow {
  id: string;
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  visibility: BoardVisibility;
  public_readable: boolean;
  thread_starters: ThreadStarters;
  position: number;
  archived_at: Date | null;
  thread_count: number;
  post_count: number;
  last_post_at: Date | null;
  last_thread_id: string | null;
  last_thread_title?: string | null;
  unread?: string | number | null;
  watch?: WatchLevel | null;
}

export interface ThreadRow {
  id: string;
  board_id: string;
  title: string;
  author_id: string;
  last_number: number;
  post_count: number;
  last_post_at: Date;
  last_post_author_id: string | null;
  pinned: 'board' | 'site' | null;
  locked_at: Date | null;
  hidden_at: Date | null;
  created_at: Date;
  last_read_number?: number | null;
  watermark?: Date | null;
}

export const boardAccess = (b: Pick<BoardRow, 'visibility' | 'thread_starters' | 'archived_at' | 'public_readable'>) => ({
  visibility: b.visibility,
  threadStarters: b.thread_starters,
  archived: b.archived_at !== null,
  publicReadable: b.public_readable,
});

/**
 * Reading state of one viewer: a thread counts as unread when it has posts after the last one the viewer read and
 * its last post is newer than the board's watermark — the later of "mark board read" and the viewer's first visit
 * to the forum (the backlog from before they came is not theirs to read).
 */
export const WATERMARK_SQL = `greatest(coalesce(br.marked_read_at, '-infinity'::timestamptz), coalesce(fv.first_visit_at, 'infinity'::timestamptz))`;

/** The SQL `visibility in (…)` condition of the boards a viewer reads (with the visitors' public boards). */
export function readableBoardsSql(viewer: Viewer | null, alias = 'b'): { sql: string; params: unknown[] } {
  const levels = readableBoardLevels(viewer);
  if (levels.length === 0) return { sql: `(${alias}.public_readable and ${alias}.visibility = 'members')`, params: [] };
  return { sql: `${alias}.visibility in (?)`, params: [levels] };
}

/** Database reads shared by the forum's handlers. */
@Injectable()
export class ForumStore {
  constructor(
    readonly em: EntityManager,
    private readonly queries: QueryBus,
  ) {}

  /** A fresh entity manager's connection, for the raw statements of this module. */
  sql<T>(query: string, params: unknown[] = []): Promise<T> {
    return this.em.fork().execute(query, params) as Promise<T>;
  }

  async board(viewer: Viewer | null, boardId: string): Promise<BoardRow> {
    if (!isUuid(boardId)) throw new ForumNotFoundError();
    const [board] = await this.sql<BoardRow[]>('select * from networking.board where id = ?', [boardId]);
    if (!board || !canReadBoard(viewer, boardAccess(board))) throw new ForumNotFoundError();
    return board;
  }

  /** A thread with its board, both readable by the viewer (a hidden thread only by operators). */
  async thread(viewer: Viewer | null, threadId: string): Promise<{ thread: ThreadRow; board: BoardRow }> {
    if (!isUuid(threadId)) throw new ForumNotFoundError();
    const [thread] = await this.sql<ThreadRow[]>('select * from networking.thread where id = ?', [threadId]);
    if (!thread || (thread.hidden_at && !seesHidden(viewer))) throw new ForumNotFoundError();
    const board = await this.board(viewer, thread.board_id);
    return { thread, board };
  }

  async names(ids: (string | null | undefined)[], locale: ForumLocale): Promise<Map<string, MemberNameView>> {
    const names = await this.queries.execute(new GetMemberNamesQuery(ids.filter((id): id is string => !!id), locale));
    return new Map(names.map((n) => [n.memberId, n]));
  }

  static author(names: Map<string, MemberNameView>, id: string | null | undefined, locale: ForumLocale): AuthorView {
    const n = id ? names.get(id) : undefined;
    if (!n || n.deleted) return { memberId: null, displayName: n?.displayName ?? (locale === 'en' ? 'Deleted member' : '退会したメンバー'), deleted: true };
    return { memberId: n.memberId, displayName: n.displayName, deleted: false };
  }

  static boardView(viewer: Viewer | null, b: BoardRow, locale: ForumLocale): BoardView {
    const access = boardAccess(b);
    return {
      id: b.id,
      name: (locale === 'en' && b.name_en) || b.name_ja,
      description: (locale === 'en' && b.description_en) || b.description_ja,
      nameJa: b.name_ja,
      nameEn: b.name_en,
      descriptionJa: b.description_ja,
      descriptionEn: b.description_en,
      visibility: b.visibility,
      publicReadable: b.public_readable,
      threadStarters: b.thread_starters,
      archived: access.archived,
      position: b.position,
      threadCount: b.thread_count,
      postCount: b.post_count,
      lastPostAt: b.last_post_at,
      lastThread: b.last_thread_id && b.last_thread_title ? { id: b.last_thread_id, title: b.last_thread_title } : null,
      unread: Number(b.unread ?? 0),
      canStartThread: canStartThread(viewer, access),
      watch: b.watch ?? 'normal',
    };
  }

  static threadItem(t: ThreadRow, names: Map<string, MemberNameView>, locale: ForumLocale, member: boolean): ThreadListItemView {
    const read = t.last_read_number ?? null;
    const watermark = t.watermark ? new Date(t.watermark).getTime() : Infinity;
    const newerThanWatermark = new Date(t.last_post_at).getTime() > watermark;
    const unreadPosts = !member ? 0 : read !== null ? Math.max(0, t.last_number - read) : newerThanWatermark ? t.last_number : 0;
    return {
      id: t.id,
      boardId: t.board_id,
      title: t.title,
      author: ForumStore.author(names, t.author_id, locale),
      createdAt: t.created_at,
      lastPostAt: t.last_post_at,
      lastPostAuthor: t.last_post_author_id ? ForumStore.author(names, t.last_post_author_id, locale) : null,
      replies: Math.max(0, t.post_count - 1),
      lastNumber: t.last_number,
      pinned: t.pinned,
      locked: t.locked_at !== null,
      hidden: t.hidden_at !== null,
      isNew: member && read === null && new Date(t.created_at).getTime() > watermark,
      unreadPosts: newerThanWatermark || read !== null ? unreadPosts : 0,
      firstUnreadNumber: unreadPosts > 0 ? (read ?? 0) + 1 : null,
    };
  }

  /** The viewer's reading-state joins for thread rows aliased `t` in board `t.board_id` (members only). */
  static readingJoins(viewer: Viewer | null): { sql: string; params: unknown[]; columns: string } {
    if (!AccessPolicy.isMember(viewer)) return { sql: '', params: [], columns: 'null::int as last_read_number, null::timestamptz as watermark' };
    return {
      sql: `left join networking.thread_read tr on tr.thread_id = t.id and tr.member_id = ?
            left join networking.board_read br on br.board_id = t.board_id and br.member_id = ?
            left join networking.forum_visit fv on fv.member_id = ?`,
      params: [viewer!.memberId, viewer!.memberId, viewer!.memberId],
      columns: `tr.last_read_number, ${WATERMARK_SQL} as watermark`,
    };
  }
}
