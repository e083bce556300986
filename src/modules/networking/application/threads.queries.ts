import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { AccessPolicy } from '@libs/security/access-policy';
import {
  FORUM_PAGE_SIZE,
  GetForumImageAccessQuery,
  GetThreadQuery,
  ListNewThreadsQuery,
  ListPostRevisionsQuery,
  ListSitePinnedThreadsQuery,
  ListThreadsQuery,
  ListUnreadThreadsQuery,
  LocatePostQuery,
  REACTION_EMOJI,
  REACTION_KINDS,
  THREADS_PAGE_SIZE,
  type PostView,
  type ReactionCountView,
  type ReactionKind,
  type ThreadFeedView,
  type ThreadListItemView,
  type ThreadListView,
  type ThreadView,
  type WatchLevel,
} from '../contracts';
import { canDeletePost, canEditPost, canReadBoard, canReply, pageOfNumber, seesHidden } from '../domain/forum-rules';
import { ForumNotFoundError } from '../domain/forum.errors';
import { ForumStore, WATERMARK_SQL, boardAccess, readableBoardsSql, type BoardRow, type ThreadRow } from './forum-store';

const clampPage = (page: number, pages: number) => Math.min(Math.max(1, Math.trunc(page) || 1), pages);

/** Counts per kind in the fixed order, with the viewer's own. */
export function reactionCounts(counts: Record<string, number> | null | undefined, mine: Set<string>): ReactionCountView[] {
  return REACTION_KINDS.filter((k) => (counts?.[k] ?? 0) > 0 || mine.has(k)).map((kind: ReactionKind) => ({
    kind,
    emoji: REACTION_EMOJI[kind],
    count: counts?.[kind] ?? 0,
    mine: mine.has(kind),
  }));
}

@QueryHandler(ListThreadsQuery)
export class ListThreadsHandler implements IQueryHandler<ListThreadsQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, boardId, page, locale }: ListThreadsQuery): Promise<ThreadListView> {
    const board = await this.store.board(viewer, boardId);
    const hidden = seesHidden(viewer) ? '' : 'and t.hidden_at is null';
    const [{ n }] = await this.store.sql<{ n: string }[]>(`select count(*) as n from networking.thread t where t.board_id = ? and t.pinned is null ${hidden}`, [boardId]);
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / THREADS_PAGE_SIZE));
    const current = clampPage(page, pages);
    const reading = ForumStore.readingJoins(viewer);
    const select = (where: string) =>
      `select t.*, ${reading.columns} from networking.thread t ${reading.sql} where t.board_id = ? ${hidden} and ${where}`;
    const [pinned, rows] = await Promise.all([
      current === 1 ? this.store.sql<ThreadRow[]>(`${select('t.pinned is not null')} order by t.pinned desc, t.last_post_at desc`, [...reading.params, boardId]) : Promise.resolve([]),
      this.store.sql<ThreadRow[]>(`${select('t.pinned is null')} order by t.last_post_at desc, t.id limit ? offset ?`, [
        ...reading.params,
        boardId,
        THREADS_PAGE_SIZE,
        (current - 1) * THREADS_PAGE_SIZE,
      ]),
    ]);
    const all = [...pinned, ...rows];
    const names = await this.store.names(all.flatMap((t) => [t.author_id, t.last_post_author_id]), locale);
    const member = AccessPolicy.isMember(viewer);
    const [boardRow] = await this.store.sql<BoardRow[]>(
      `select b.*, bw.level as watch from networking.board b left join networking.board_watch bw on bw.board_id = b.id and bw.member_id = ? where b.id = ?`,
      [viewer?.memberId ?? null, board.id],
    );
    return {
      board: ForumStore.boardView(viewer, boardRow, locale),
      items: all.map((t) => ForumStore.threadItem(t, names, locale, member)),
      total,
      page: current,
      pages,
    };
  }
}

interface PostRow {
  id: string;
  thread_id: string;
  number: number;
  author_id: string;
  body: string;
  html: string;
  quote_post_id: string | null;
  quote_number: number | null;
  quote_author_id: string | null;
  reactions: Record<string, number> | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
}

@QueryHandler(GetThreadQuery)
export class GetThreadHandler implements IQueryHandler<GetThreadQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, threadId, page, locale, pageSize }: GetThreadQuery): Promise<ThreadView> {
    const { thread, board } = await this.store.thread(viewer, threadId);
    const size = Math.min(Math.max(1, Math.trunc(pageSize) || FORUM_PAGE_SIZE), 100);
    const pages = Math.max(1, Math.ceil(thread.last_number / size));
    // Page 0 or past the end: the last page (a link to "the latest" needs no count).
    const current = page < 1 || page > pages ? pages : clampPage(page, pages);
    const from = (current - 1) * size + 1;
    const to = current * size;
    const me = viewer?.memberId ?? null;
    const member = AccessPolicy.isMember(viewer);
    const [posts, mine, images, state] = await Promise.all([
      this.store.sql<PostRow[]>(
        `select p.id, p.thread_id, p.number, p.author_id, p.body, p.html, p.quote_post_id, q.number as quote_number, q.author_id as quote_author_id,
                p.reactions, p.created_at, p.edited_at, p.deleted_at, p.hidden_at
           from networking.post p left join networking.post q on q.id = p.quote_post_id
          where p.thread_id = ? and p.number between ? and ? order by p.number`,
        [thread.id, from, to],
      ),
      member
        ? this.store.sql<{ post_id: string; kind: string }[]>(
            `select r.post_id, r.kind from networking.reaction r join networking.post p on p.id = r.post_id
              where p.thread_id = ? and p.number between ? and ? and r.member_id = ?`,
            [thread.id, from, to, me],
          )
        : Promise.resolve([]),
      this.store.sql<{ post_id: string; image_id: string; width: number; height: number }[]>(
        `select i.post_id, i.image_id, i.width, i.height from networking.post_image i join networking.post p on p.id = i.post_id
          where p.thread_id = ? and p.number between ? and ? order by i.post_id, i.position`,
        [thread.id, from, to],
      ),
      member
        ? this.store.sql<{ last_read_number: number | null; watch: WatchLevel | null }[]>(
            `select (select last_read_number from networking.thread_read where member_id = ? and thread_id = ?) as last_read_number,
                    (select level from networking.thread_watch where member_id = ? and thread_id = ?) as watch`,
            [me, thread.id, me, thread.id],
          )
        : Promise.resolve([{ last_read_number: null, watch: null }]),
    ]);
    const names = await this.store.names([thread.author_id, ...posts.flatMap((p) => [p.author_id, p.quote_author_id])], locale);
    const mineByPost = new Map<string, Set<string>>();
    for (const r of mine) (mineByPost.get(r.post_id) ?? mineByPost.set(r.post_id, new Set()).get(r.post_id)!).add(r.kind);
    const imagesByPost = new Map<string, { id: string; width: number; height: number }[]>();
    for (const i of images) (imagesByPost.get(i.post_id) ?? imagesByPost.set(i.post_id, []).get(i.post_id)!).push({ id: i.image_id, width: i.width, height: i.height });
    const access = boardAccess(board);
    const threadState = { locked: thread.locked_at !== null, hidden: thread.hidden_at !== null };
    const operator = seesHidden(viewer);
    const reply = canReply(viewer, access, threadState);
    const lastRead = state[0]?.last_read_number ?? 0;
    const postViews: PostView[] = posts.map((p) => {
      const deleted = p.deleted_at !== null;
      const hidden = p.hidden_at !== null;
      const showText = !deleted && (!hidden || operator);
      const postState = { authorId: p.author_id, deleted, hidden };
      const own = !!me && p.author_id === me;
      return {
        id: p.id,
        threadId: p.thread_id,
        number: p.number,
        author: ForumStore.author(names, p.author_id, locale),
        html: showText ? p.html : '',
        body: showText && (own || operator) ? p.body : null,
        createdAt: p.created_at,
        editedAt: p.edited_at,
        deleted,
        hidden,
        quote: p.quote_post_id && p.quote_number ? { postId: p.quote_post_id, number: p.quote_number, authorName: ForumStore.author(names, p.quote_author_id, locale).displayName } : null,
        reactions: deleted ? [] : reactionCounts(p.reactions, mineByPost.get(p.id) ?? new Set()),
        images: showText ? (imagesByPost.get(p.id) ?? []) : [],
        canEdit: canEditPost(viewer, access, threadState, postState),
        canDelete: canDeletePost(viewer, access, postState),
        canReport: member && !own && !deleted && !hidden,
        canReact: reply && !deleted && !hidden,
      };
    });
    return {
      thread: {
        id: thread.id,
        title: thread.title,
        board: { id: board.id, name: (locale === 'en' && board.name_en) || board.name_ja, visibility: board.visibility, archived: access.archived },
        author: ForumStore.author(names, thread.author_id, locale),
        createdAt: thread.created_at,
        postCount: thread.post_count,
        lastNumber: thread.last_number,
        pinned: thread.pinned,
        locked: threadState.locked,
        hidden: threadState.hidden,
        watch: state[0]?.watch ?? 'normal',
      },
      posts: postViews,
      page: current,
      pages,
      canReply: reply,
      canModerate: operator,
      lastReadNumber: lastRead,
      firstUnreadNumber: member && lastRead < thread.last_number ? lastRead + 1 : null,
    };
  }
}

@QueryHandler(LocatePostQuery)
export class LocatePostHandler implements IQueryHandler<LocatePostQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, postId }: LocatePostQuery): Promise<{ threadId: string; number: number; page: number }> {
    if (!isUuid(postId)) throw new ForumNotFoundError();
    const [post] = await this.store.sql<{ thread_id: string; number: number }[]>('select thread_id, number from networking.post where id = ?', [postId]);
    if (!post) throw new ForumNotFoundError();
    await this.store.thread(viewer, post.thread_id);
    return { threadId: post.thread_id, number: post.number, page: pageOfNumber(post.number, FORUM_PAGE_SIZE) };
  }
}

/** Threads of readable boards (hidden ones left out) matching `where`, newest activity first, with board names. */
async function feed(store: ForumStore, viewer: Parameters<typeof readableBoardsSql>[0], where: string, params: unknown[], page: number, locale: 'ja' | 'en'): Promise<ThreadFeedView> {
  const boards = readableBoardsSql(viewer);
  const reading = ForumStore.readingJoins(viewer);
  const from = `from networking.thread t join networking.board b on b.id = t.board_id ${reading.sql}
               where t.hidden_at is null and ${boards.sql} and ${where}`;
  const args = [...reading.params, ...boards.params, ...params];
  const [{ n }] = await store.sql<{ n: string }[]>(`select count(*) as n ${from}`, args);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / THREADS_PAGE_SIZE));
  const current = clampPage(page, pages);
  const rows = await store.sql<(ThreadRow & { name_ja: string; name_en: string })[]>(
    `select t.*, b.name_ja, b.name_en, ${reading.columns} ${from} order by t.last_post_at desc, t.id limit ? offset ?`,
    [...args, THREADS_PAGE_SIZE, (current - 1) * THREADS_PAGE_SIZE],
  );
  const names = await store.names(rows.flatMap((t) => [t.author_id, t.last_post_author_id]), locale);
  return {
    items: rows.map((t) => ({ ...ForumStore.threadItem(t, names, locale, true), boardName: (locale === 'en' && t.name_en) || t.name_ja })),
    total,
    page: current,
    pages,
  };
}

@QueryHandler(ListUnreadThreadsQuery)
export class ListUnreadThreadsHandler implements IQueryHandler<ListUnreadThreadsQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, page, locale }: ListUnreadThreadsQuery): Promise<ThreadFeedView> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    // Watched: the thread itself, or a thread of a watched board (active since the member's watermark) not muted. The
    // set is built from the member's own watch rows, so the cost follows what they watch, not the size of the forum.
    const where = `t.id in (
        select w.thread_id from networking.thread_watch w where w.member_id = ? and w.level = 'watching'
        union
        select bt.id from networking.board_watch bw join networking.thread bt on bt.board_id = bw.board_id
         where bw.member_id = ? and bw.level = 'watching'
           and bt.last_post_at > coalesce((select first_visit_at from networking.forum_visit where member_id = ?), 'infinity'::timestamptz)
           and not exists (select 1 from networking.thread_watch m where m.member_id = ? and m.thread_id = bt.id and m.level = 'muted'))
      and t.last_number > coalesce(tr.last_read_number, 0) and t.last_post_at > ${WATERMARK_SQL}`;
    return feed(this.store, viewer, where, [viewer.memberId, viewer.memberId, viewer.memberId, viewer.memberId], page, locale);
  }
}

@QueryHandler(ListNewThreadsQuery)
export class ListNewThreadsHandler implements IQueryHandler<ListNewThreadsQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, page, locale }: ListNewThreadsQuery): Promise<ThreadFeedView> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const where = `t.created_at > coalesce((select previous_visit_at from networking.forum_visit where member_id = ?), now() - interval '7 days')
      and t.author_id <> ?`;
    return feed(this.store, viewer, where, [viewer.memberId, viewer.memberId], page, locale);
  }
}

@QueryHandler(ListPostRevisionsQuery)
export class ListPostRevisionsHandler implements IQueryHandler<ListPostRevisionsQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, postId }: ListPostRevisionsQuery): Promise<{ body: string; writtenAt: Date; replacedAt: Date }[]> {
    if (!AccessPolicy.isOperator(viewer)) throw new ForbiddenError();
    if (!isUuid(postId)) throw new ForumNotFoundError();
    const [post] = await this.store.sql<{ thread_id: string }[]>('select thread_id from networking.post where id = ?', [postId]);
    if (!post) throw new ForumNotFoundError();
    await this.store.thread(viewer, post.thread_id);
    const rows = await this.store.sql<{ body: string; written_at: Date; replaced_at: Date }[]>(
      'select body, written_at, replaced_at from networking.post_revision where post_id = ? order by replaced_at desc',
      [postId],
    );
    return rows.map((r) => ({ body: r.body, writtenAt: r.written_at, replacedAt: r.replaced_at }));
  }
}

@QueryHandler(GetForumImageAccessQuery)
export class GetForumImageAccessHandler implements IQueryHandler<GetForumImageAccessQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, imageId }: GetForumImageAccessQuery): Promise<{ public: boolean } | null> {
    if (typeof imageId !== 'string' || imageId.length > 64) return null;
    const [row] = await this.store.sql<(BoardRow & { deleted_at: Date | null; hidden_at: Date | null; thread_hidden: Date | null })[]>(
      `select b.*, p.deleted_at, p.hidden_at, t.hidden_at as thread_hidden from networking.post_image i
         join networking.post p on p.id = i.post_id join networking.thread t on t.id = p.thread_id join networking.board b on b.id = p.board_id
        where i.image_id = ?`,
      [imageId],
    );
    if (!row || row.deleted_at) return null;
    if ((row.hidden_at || row.thread_hidden) && !seesHidden(viewer)) return null;
    if (!canReadBoard(viewer, boardAccess(row))) return null;
    return { public: row.public_readable && row.visibility === 'members' };
  }
}

@QueryHandler(ListSitePinnedThreadsQuery)
export class ListSitePinnedThreadsHandler implements IQueryHandler<ListSitePinnedThreadsQuery> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, locale }: ListSitePinnedThreadsQuery): Promise<ThreadListItemView[]> {
    const boards = readableBoardsSql(viewer);
    const reading = ForumStore.readingJoins(viewer);
    // thread_pinned_idx: only the few pinned threads are read.
    const rows = await this.store.sql<ThreadRow[]>(
      `select t.*, ${reading.columns} from networking.thread t join networking.board b on b.id = t.board_id ${reading.sql}
        where t.pinned = 'site' and t.hidden_at is null and ${boards.sql} order by t.last_post_at desc limit 10`,
      [...reading.params, ...boards.params],
    );
    const names = await this.store.names(rows.flatMap((t) => [t.author_id, t.last_post_author_id]), locale);
    return rows.map((t) => ForumStore.threadItem(t, names, locale, AccessPolicy.isMember(viewer)));
  }
}
