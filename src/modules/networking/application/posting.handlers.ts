import { randomUUID } from 'node:crypto';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@libs/database/array-literal';
import { ForbiddenError } from '@libs/ddd';
import { isUuid } from '@libs/ddd/ids';
import { ImageService } from '@libs/images/image.service';
import { ImagePurposes } from '@libs/images/image-purpose';
import { integrationEvent, integrationEventWithId, Outbox } from '@libs/outbox';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { FindMembersByNameQuery } from '@modules/membership/contracts';
import { AUTO_HIDE_REPORTERS, REPORT_REASON_MAX, ReportContentCommand } from '@modules/moderation/contracts';
import {
  BODY_MAX,
  DeletePostCommand,
  EditPostCommand,
  FORUM_PAGE_SIZE,
  NetworkingEvents,
  POST_IMAGES_MAX,
  REACTION_KINDS,
  ReactToPostCommand,
  ReplyToThreadCommand,
  ReportPostCommand,
  StartThreadCommand,
  TITLE_MAX,
  type PostInput,
  type ReactionCountView,
  type ReactionKind,
} from '../contracts';
import { canDeletePost, canEditPost, canReadBoard, canReply, canStartThread, pageOfNumber } from '../domain/forum-rules';
import {
  BoardArchivedError,
  CannotReportOwnPostError,
  ForumNotFoundError,
  PostNotEditableError,
  QuoteNotFoundError,
  TextRequiredError,
  TextTooLongError,
  ThreadLockedError,
  ThreadStartersOnlyError,
  TooManyImagesError,
  UnknownReactionError,
} from '../domain/forum.errors';
import { mentionHandles, plainText, postSearchKeys, renderPost } from '../domain/post-content';
import { ForumStore, boardAccess, type BoardRow, type ThreadRow } from './forum-store';
import { reactionCounts } from './threads.queries';

/** Text as typed: newlines normalised, trailing space trimmed; control characters are refused by the request layer. */
const clean = (s: string | null | undefined) => (s ?? '').replace(/\r\n?/g, '\n').replace(/\s+$/u, '').replace(/^\s*\n/, '');

export function cleanTitle(title: string): string {
  const t = (title ?? '').replace(/\s+/g, ' ').trim();
  if (!t) throw new TextRequiredError('title');
  if ([...t].length > TITLE_MAX) throw new TextTooLongError('title', TITLE_MAX);
  return t;
}

export function cleanBody(body: string): string {
  const b = clean(body);
  if (!b.trim()) throw new TextRequiredError('body');
  if ([...b].length > BODY_MAX) throw new TextTooLongError('body', BODY_MAX);
  return b;
}

/** Mentions of members who may read the board: handle → member id (a name that matches two members is left as text). */
async function resolveMentions(queries: QueryBus, body: string, board: BoardRow): Promise<Map<string, string>> {
  const statuses: ('employee' | 'alumni')[] = board.visibility === 'alumni' ? ['alumni'] : board.visibility === 'employees' ? ['employee'] : ['employee', 'alumni'];
  const out = new Map<string, string>();
  for (const handle of mentionHandles(body)) {
    const found = await queries.execute(new FindMembersByNameQuery(handle, 'exact', statuses, 2));
    const readers = board.visibility === 'operators' ? found.filter((m) => m.role !== 'member') : found;
    if (readers.length === 1) out.set(handle, readers[0].memberId);
  }
  return out;
}

interface PreparedPost {
  id: string;
  body: string;
  html: string;
  mentions: string[];
  tokens: string[];
  text: string;
  quotePostId: string | null;
  images: { id: string; width: number; height: number }[];
}

/** The writing side of posts: checks, rendering, images, and the one statement that numbers and writes a post. */
export class PostWriter {
  constructor(
    private readonly store: ForumStore,
    private readonly queries: QueryBus,
    private readonly images: ImageService,
  ) {}

  async prepare(board: BoardRow, input: PostInput, title: string | undefined, threadId: string | null): Promise<PreparedPost> {
    const body = cleanBody(input.body);
    const files = input.images ?? [];
    if (files.length > POST_IMAGES_MAX) throw new TooManyImagesError(POST_IMAGES_MAX);
    let quotePostId: string | null = null;
    if (input.quotePostId) {
      if (!threadId || !isUuid(input.quotePostId)) throw new QuoteNotFoundError();
      const [q] = await this.store.sql<{ id: string }[]>('select id from networking.post where id = ? and thread_id = ? and deleted_at is null and hidden_at is null', [input.quotePostId, threadId]);
      if (!q) throw new QuoteNotFoundError();
      quotePostId = q.id;
    }
    const mentions = await resolveMentions(this.queries, body, board);
    const keys = postSearchKeys(body, title);
    const images: PreparedPost['images'] = [];
    try {
      for (const bytes of files) {
        const image = await this.images.ingest(bytes, { purpose: ImagePurposes.attachment, field: 'images' });
        const full = image.variants.find((v) => v.name === 'full')!;
        images.push({ id: image.id, width: full.width, height: full.height });
      }
    } catch (e) {
      await Promise.all(images.map((i) => this.images.discard(i.id)));
      throw e;
    }
    return { id: randomUUID(), body, html: renderPost(body, mentions), mentions: [...new Set(mentions.values())], tokens: keys.tokens, text: keys.text, quotePostId, images };
  }

  /**
   * Numbers and writes the post in one statement: the thread row is locked by its own update (which takes the next
   * number), the post, the board's counters, the author's reading state, watch and first visit, and the outbox row are written
   * with it, so two replies at the same moment wait only for each other's statement and get consecutive numbers.
   * Images (rarely) add their rows in the same transaction. Answers null when the thread is locked or hidden.
   */
  async write(tx: EntityManager, viewer: Viewer, threadId: string, post: PreparedPost, startsThread: boolean): Promise<{ number: number } | null> {
    const event = integrationEvent(NetworkingEvents.postCreated, { postId: post.id, threadId, boardId: '', number: 0, authorId: viewer.memberId, startsThread });
    const message = Outbox.message(event);
    const rows = await tx.execute<{ number: number }[]>(
      `with t as (
         update networking.thread set last_number = last_number + 1, post_count = post_count + 1, last_post_at = clock_timestamp(), last_post_author_id = ?
          where id = ? and locked_at is null and hidden_at is null
          returning id, board_id, last_number, last_post_at
       ), p as (
         insert into networking.post (id, thread_id, board_id, number, author_id, body, html, quote_post_id, mentions, created_at, search_tokens, search_text)
         select ?, t.id, t.board_id, t.last_number, ?, ?, ?, ?, ?::uuid[], t.last_post_at, ?::text[], ? from t returning id
       ), b as (
         update networking.board set post_count = post_count + 1, last_post_at = t.last_post_at, last_thread_id = t.id from t where board.id = t.board_id returning board.id
       ), o as (
         insert into platform.outbox (id, queue, name, payload, job_id, created_at)
         select ?, ?, ?, ?::jsonb || jsonb_build_object('boardId', t.board_id, 'number', t.last_number), ?, now() from t returning id
       ), r as (
         insert into networking.thread_read (member_id, thread_id, last_read_number) select ?, t.id, t.last_number from t
         on conflict (member_id, thread_id) do update set last_read_number = greatest(thread_read.last_read_number, excluded.last_read_number) returning 1
       ), w as (
         insert into networking.thread_watch (member_id, thread_id, level) select ?, t.id, 'watching' from t on conflict do nothing returning 1
       ), v as (
         insert into networking.forum_visit (member_id, first_visit_at, last_visit_at, previous_visit_at) select ?, now(), now(), now() from t on conflict do nothing returning 1
       )
       select t.last_number as number from t`,
      [
        viewer.memberId,
        threadId,
        post.id,
        viewer.memberId,
        post.body,
        post.html,
        post.quotePostId,
        arrayLiteral(post.mentions),
        arrayLiteral(post.tokens),
        post.text,
        message.id,
        message.queue,
        message.name,
        JSON.stringify(message.payload),
        message.jobId,
        viewer.memberId,
        viewer.memberId,
        viewer.memberId,
      ],
    );
    if (rows.length === 0) return null;
    if (post.images.length) {
      const [{ board_id }] = await tx.execute<{ board_id: string }[]>('select board_id from networking.post where id = ?', [post.id]);
      for (const [position, image] of post.images.entries()) {
        await tx.execute('insert into networking.post_image (image_id, post_id, board_id, position, width, height) values (?, ?, ?, ?, ?, ?)', [image.id, post.id, board_id, position, image.width, image.height]);
        this.images.attach(tx, image.id);
      }
    }
    return rows[0];
  }

  async discard(post: PreparedPost): Promise<void> {
    await Promise.all(post.images.map((i) => this.images.discard(i.id)));
  }
}

@CommandHandler(StartThreadCommand)
export class StartThreadHandler implements ICommandHandler<StartThreadCommand> {
  private readonly writer: PostWriter;

  constructor(
    private readonly store: ForumStore,
    queries: QueryBus,
    images: ImageService,
  ) {
    this.writer = new PostWriter(store, queries, images);
  }

  async execute({ viewer, boardId, title, post }: StartThreadCommand): Promise<{ threadId: string; postId: string }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const board = await this.store.board(viewer, boardId);
    const access = boardAccess(board);
    if (access.archived) throw new BoardArchivedError();
    if (!canStartThread(viewer, access)) throw new ThreadStartersOnlyError();
    const cleanTitleText = cleanTitle(title);
    const prepared = await this.writer.prepare(board, post, cleanTitleText, null);
    const threadId = randomUUID();
    try {
      await this.store.em.fork().transactional(async (tx) => {
        await tx.execute(
          `insert into networking.thread (id, board_id, title, author_id, last_number, post_count, last_post_at, last_post_author_id, created_at)
           values (?, ?, ?, ?, 0, 0, clock_timestamp(), ?, clock_timestamp())`,
          [threadId, board.id, cleanTitleText, viewer.memberId, viewer.memberId],
        );
        await tx.execute('update networking.board set thread_count = thread_count + 1 where id = ?', [board.id]);
        const written = await this.writer.write(tx, viewer, threadId, prepared, true);
        if (!written) throw new ForumNotFoundError();
      });
    } catch (e) {
      await this.writer.discard(prepared);
      throw e;
    }
    return { threadId, postId: prepared.id };
  }
}

@CommandHandler(ReplyToThreadCommand)
export class ReplyToThreadHandler implements ICommandHandler<ReplyToThreadCommand> {
  private readonly writer: PostWriter;

  constructor(
    private readonly store: ForumStore,
    queries: QueryBus,
    images: ImageService,
  ) {
    this.writer = new PostWriter(store, queries, images);
  }

  async execute({ viewer, threadId, post }: ReplyToThreadCommand): Promise<{ postId: string; number: number; page: number }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const { thread, board } = await this.store.thread(viewer, threadId);
    assertCanReply(viewer, board, thread);
    const prepared = await this.writer.prepare(board, post, undefined, thread.id);
    let written: { number: number } | null;
    try {
      // Without images the reply is the one statement, outside any explicit transaction (the lock lasts that long).
      written = prepared.images.length
        ? await this.store.em.fork().transactional((tx) => this.writer.write(tx, viewer, thread.id, prepared, false))
        : await this.writer.write(this.store.em.fork(), viewer, thread.id, prepared, false);
    } catch (e) {
      await this.writer.discard(prepared);
      throw e;
    }
    if (!written) {
      await this.writer.discard(prepared);
      const again = await this.store.thread(viewer, threadId);
      assertCanReply(viewer, again.board, again.thread);
      throw new ThreadLockedError();
    }
    return { postId: prepared.id, number: written.number, page: pageOfNumber(written.number, FORUM_PAGE_SIZE) };
  }
}

function assertCanReply(viewer: Viewer, board: BoardRow, thread: ThreadRow): void {
  const access = boardAccess(board);
  if (access.archived) throw new BoardArchivedError();
  if (thread.locked_at || thread.hidden_at) throw new ThreadLockedError();
  if (!canReply(viewer, access, { locked: false })) throw new ForbiddenError();
}

interface PostWithContext {
  post: { id: string; thread_id: string; board_id: string; number: number; author_id: string; body: string; deleted_at: Date | null; hidden_at: Date | null; edited_at: Date | null; created_at: Date; reactions: Record<string, number> };
  thread: ThreadRow;
  board: BoardRow;
}

/** A post the viewer may read, with its thread and board. */
export async function readablePost(store: ForumStore, viewer: Viewer | null, postId: string): Promise<PostWithContext> {
  if (!isUuid(postId)) throw new ForumNotFoundError();
  const [post] = await store.sql<PostWithContext['post'][]>('select id, thread_id, board_id, number, author_id, body, deleted_at, hidden_at, edited_at, created_at, reactions from networking.post where id = ?', [postId]);
  if (!post) throw new ForumNotFoundError();
  const { thread, board } = await store.thread(viewer, post.thread_id);
  return { post, thread, board };
}

@CommandHandler(EditPostCommand)
export class EditPostHandler implements ICommandHandler<EditPostCommand> {
  constructor(
    private readonly store: ForumStore,
    private readonly queries: QueryBus,
  ) {}

  async execute({ viewer, postId, body }: EditPostCommand): Promise<void> {
    const { post, thread, board } = await readablePost(this.store, viewer, postId);
    const state = { authorId: post.author_id, deleted: post.deleted_at !== null, hidden: post.hidden_at !== null };
    if (!canEditPost(viewer, boardAccess(board), { locked: thread.locked_at !== null, hidden: thread.hidden_at !== null }, state)) throw new PostNotEditableError();
    const text = cleanBody(body);
    if (text === post.body) return;
    const mentions = await resolveMentions(this.queries, text, board);
    const keys = postSearchKeys(text, post.number === 1 ? thread.title : undefined);
    await this.store.em.fork().transactional(async (tx) => {
      await tx.execute(
        'insert into networking.post_revision (id, post_id, body, written_by, written_at, replaced_at) values (?, ?, ?, ?, ?, clock_timestamp())',
        [randomUUID(), post.id, post.body, post.author_id, post.edited_at ?? post.created_at],
      );
      await tx.execute(
        `update networking.post set body = ?, html = ?, mentions = ?::uuid[], edited_at = clock_timestamp(), search_tokens = ?::text[], search_text = ? where id = ?`,
        [text, renderPost(text, mentions), arrayLiteral([...new Set(mentions.values())]), arrayLiteral(keys.tokens), keys.text, post.id],
      );
    });
  }
}

@CommandHandler(DeletePostCommand)
export class DeletePostHandler implements ICommandHandler<DeletePostCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, postId }: DeletePostCommand): Promise<void> {
    const { post, board } = await readablePost(this.store, viewer, postId);
    if (!canDeletePost(viewer, boardAccess(board), { authorId: post.author_id, deleted: post.deleted_at !== null, hidden: post.hidden_at !== null })) throw new PostNotEditableError();
    // The place stays (numbers and pages do not move); the text leaves search and the page.
    await this.store.sql(`update networking.post set deleted_at = clock_timestamp(), search_tokens = '{}', search_text = '' where id = ? and deleted_at is null`, [post.id]);
  }
}

/** The reaction kind from its name or its emoji (👍 is `like`). */
export function reactionKind(kind: string): ReactionKind | null {
  if ((REACTION_KINDS as readonly string[]).includes(kind)) return kind as ReactionKind;
  const emoji: Record<string, ReactionKind> = { '👍': 'like', '❤️': 'heart', '❤': 'heart', '😄': 'smile', '🎉': 'tada', '🙏': 'thanks', '👀': 'eyes' };
  return emoji[kind] ?? null;
}

/** Reaction notices are batched per post in windows of this length. */
export const REACTION_WINDOW_MS = 10 * 60_000;

@CommandHandler(ReactToPostCommand)
export class ReactToPostHandler implements ICommandHandler<ReactToPostCommand> {
  constructor(private readonly store: ForumStore) {}

  async execute({ viewer, postId, kind, on }: ReactToPostCommand): Promise<ReactionCountView[]> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const reaction = reactionKind(kind);
    if (!reaction) throw new UnknownReactionError();
    const { post, thread, board } = await readablePost(this.store, viewer, postId);
    if (post.deleted_at || post.hidden_at || !canReply(viewer, boardAccess(board), { locked: thread.locked_at !== null, hidden: thread.hidden_at !== null })) throw new PostNotEditableError();
    const em = this.store.em.fork();
    const counts = await em.transactional(async (tx) => {
      const changed = on
        ? await tx.execute<unknown[]>('insert into networking.reaction (post_id, member_id, kind, created_at) values (?, ?, ?, now()) on conflict do nothing returning 1', [post.id, viewer.memberId, reaction])
        : await tx.execute<unknown[]>('delete from networking.reaction where post_id = ? and member_id = ? and kind = ? returning 1', [post.id, viewer.memberId, reaction]);
      if (changed.length === 0) return post.reactions;
      const [row] = await tx.execute<{ reactions: Record<string, number> }[]>(
        `update networking.post set reactions = jsonb_set(reactions, array[?], to_jsonb(greatest(0, coalesce((reactions->>?)::int, 0) + ?))) where id = ? returning reactions`,
        [reaction, reaction, on ? 1 : -1, post.id],
      );
      if (on && post.author_id !== viewer.memberId) {
        // One notice per post and window: every reaction in the window names the same event (one job; a row already
        // relayed is deduplicated by BullMQ's job id, and the handler runs once per event id).
        const windowStart = new Date(Math.floor(Date.now() / REACTION_WINDOW_MS) * REACTION_WINDOW_MS);
        const eventId = `reactions-${post.id}-${windowStart.getTime()}`;
        const message = Outbox.message(integrationEventWithId(eventId, NetworkingEvents.reactionsBatched, { postId: post.id, windowStart: windowStart.toISOString(), windowEnd: new Date(windowStart.getTime() + REACTION_WINDOW_MS).toISOString() }));
        await tx.execute(
          `insert into platform.outbox (id, queue, name, payload, job_id, run_at, created_at)
           select ?, ?, ?, ?::jsonb, ?, ?, now() where not exists (select 1 from platform.outbox where job_id = ? and relayed_at is null)`,
          [message.id, message.queue, message.name, JSON.stringify(message.payload), message.jobId, new Date(windowStart.getTime() + REACTION_WINDOW_MS), message.jobId],
        );
      }
      return row.reactions;
    });
    const mine = await em.execute<{ kind: string }[]>('select kind from networking.reaction where post_id = ? and member_id = ?', [post.id, viewer.memberId]);
    return reactionCounts(counts, new Set(mine.map((m) => m.kind)));
  }
}

@CommandHandler(ReportPostCommand)
export class ReportPostHandler implements ICommandHandler<ReportPostCommand> {
  constructor(
    private readonly store: ForumStore,
    private readonly commands: CommandBus,
  ) {}

  async execute({ viewer, postId, reason }: ReportPostCommand): Promise<{ reportId: string; hidden: boolean }> {
    if (!AccessPolicy.isMember(viewer)) throw new ForbiddenError();
    const text = (reason ?? '').replace(/\s+/g, ' ').trim();
    if (!text) throw new TextRequiredError('reason');
    if ([...text].length > REPORT_REASON_MAX) throw new TextTooLongError('reason', REPORT_REASON_MAX);
    const { post, board } = await readablePost(this.store, viewer, postId);
    if (post.deleted_at || !canReadBoard(viewer, boardAccess(board))) throw new ForumNotFoundError();
    if (post.author_id === viewer.memberId) throw new CannotReportOwnPostError();
    const excerpt = [...plainText(post.body)].slice(0, 200).join('');
    const filed = await this.commands.execute(
      new ReportContentCommand(viewer, { type: FORUM_POST_SUBJECT, id: post.id, authorId: post.author_id, excerpt, link: `/forum/p/${post.id}` }, text),
    );
    let hidden = post.hidden_at !== null;
    if (!hidden && filed.openReporters >= AUTO_HIDE_REPORTERS) {
      const rows = await this.store.sql<unknown[]>(`update networking.post set hidden_at = clock_timestamp(), hidden_reason = 'reports' where id = ? and hidden_at is null returning 1`, [post.id]);
      hidden = rows.length > 0 || hidden;
    }
    return { reportId: filed.reportId, hidden };
  }
}

/** The moderation subject type of forum posts. */
export const FORUM_POST_SUBJECT = 'forum-post';
