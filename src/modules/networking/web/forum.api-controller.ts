import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  type SchemaObject,
} from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import {
  BOARD_VISIBILITIES,
  DeletePostCommand,
  EditPostCommand,
  GetThreadQuery,
  ListBoardsQuery,
  ListNewThreadsQuery,
  ListThreadsQuery,
  ListUnreadThreadsQuery,
  MarkBoardReadCommand,
  MarkThreadReadCommand,
  REACTION_KINDS,
  ReactToPostCommand,
  ReplyToThreadCommand,
  ReportPostCommand,
  SearchForumQuery,
  StartThreadCommand,
  THREAD_STARTERS,
  WATCH_LEVELS,
  WatchBoardCommand,
  WatchThreadCommand,
  type BoardView,
  type PostView,
  type ReactionKind,
  type ThreadFeedView,
  type ThreadListItemView,
} from '../contracts';
import {
  ApiBoardParams,
  ApiEditRequest,
  ApiIdParams,
  ApiPageRequest,
  ApiReactionParams,
  ApiReactionRequest,
  ApiForumReadRequest,
  ApiReplyRequest,
  ApiForumReportRequest,
  ApiSearchRequest,
  ApiThreadRequest,
  ApiWatchRequest,
} from './forum-api.request';
import { localeOf, viewerOf } from '@libs/web/request-context';
import { API_ERROR_SCHEMA, SignedInResponses, UUID_SCHEMA } from '@libs/web/api-docs';

/** The reaction kind the request names; the forum turns an emoji into its kind (👍 → like) and refuses others. */
const kindOf = (kind: string) => kind as ReactionKind;

// ---- The JSON the API answers: the forum's views, with the page address of each thing (`url`) ----

const boardJson = (b: BoardView) => ({ ...b, url: `/forum/b/${b.id}` });
const threadItemJson = <T extends ThreadListItemView>(t: T) => ({ ...t, url: `/forum/t/${t.id}` });
const feedJson = (feed: ThreadFeedView) => ({ ...feed, items: feed.items.map(threadItemJson) });
const postJson = (p: PostView) => ({
  ...p,
  quote: p.quote ? { ...p.quote, url: `/forum/p/${p.quote.postId}` } : null,
  images: p.images.map((i) => ({ ...i, url: `/forum/images/${i.id}/960`, thumbnailUrl: `/forum/images/${i.id}/320` })),
  url: `/forum/p/${p.id}`,
});

// ---- OpenAPI schemas of those answers ----

const uuid = UUID_SCHEMA;
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const page: Record<string, SchemaObject> = { total: { type: 'integer' }, page: { type: 'integer', minimum: 1 }, pages: { type: 'integer', minimum: 1 } };
const AUTHOR: SchemaObject = {
  type: 'object',
  description: 'memberId is null and deleted true for a deleted account (退会したメンバー / Deleted member)',
  properties: { memberId: { ...uuid, nullable: true }, displayName: { type: 'string' }, deleted: { type: 'boolean' } },
};
const BOARD: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string', description: "In the caller's language (Japanese when there is no English)" },
    description: { type: 'string' },
    visibility: { type: 'string', enum: [...BOARD_VISIBILITIES] },
    publicReadable: { type: 'boolean', description: 'Visitors may read it too' },
    threadStarters: { type: 'string', enum: [...THREAD_STARTERS] },
    archived: { type: 'boolean' },
    threadCount: { type: 'integer' },
    postCount: { type: 'integer' },
    lastPostAt: { ...dateTime, nullable: true },
    lastThread: { type: 'object', nullable: true, properties: { id: uuid, title: { type: 'string' } } },
    unread: { type: 'integer', description: 'Threads with posts the caller has not read (0 for visitors)' },
    canStartThread: { type: 'boolean' },
    watch: { type: 'string', enum: [...WATCH_LEVELS] },
    url: { type: 'string', example: '/forum/b/00000000-0000-4000-8000-000000000000' },
  },
};
const THREAD_ITEM: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    boardId: uuid,
    title: { type: 'string' },
    author: AUTHOR,
    createdAt: dateTime,
    lastPostAt: dateTime,
    lastPostAuthor: { ...AUTHOR, nullable: true },
    replies: { type: 'integer' },
    lastNumber: { type: 'integer' },
    pinned: { type: 'string', enum: ['board', 'site'], nullable: true },
    locked: { type: 'boolean' },
    hidden: { type: 'boolean' },
    isNew: { type: 'boolean' },
    unreadPosts: { type: 'integer' },
    firstUnreadNumber: { type: 'integer', nullable: true },
    url: { type: 'string', example: '/forum/t/00000000-0000-4000-8000-000000000000' },
  },
};
const REACTIONS: SchemaObject = {
  type: 'array',
  items: {
    type: 'object',
    properties: { kind: { type: 'string', enum: [...REACTION_KINDS] }, emoji: { type: 'string', example: '👍' }, count: { type: 'integer' }, mine: { type: 'boolean' } },
  },
};
const POST: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    threadId: uuid,
    number: { type: 'integer', description: '1 for the first post of the thread, then 2, 3, … without gaps' },
    author: AUTHOR,
    html: { type: 'string', description: 'Sanitised HTML of the Markdown body; empty when deleted, or hidden from the caller' },
    body: { type: 'string', nullable: true, description: 'The Markdown source, for its author and operators' },
    createdAt: dateTime,
    editedAt: { ...dateTime, nullable: true },
    deleted: { type: 'boolean' },
    hidden: { type: 'boolean', description: 'Hidden by an operator or by reports' },
    quote: { type: 'object', nullable: true, properties: { postId: uuid, number: { type: 'integer' }, authorName: { type: 'string' }, url: { type: 'string' } } },
    reactions: REACTIONS,
    images: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, width: { type: 'integer' }, height: { type: 'integer' }, url: { type: 'string' }, thumbnailUrl: { type: 'string' } } },
    },
    canEdit: { type: 'boolean' },
    canDelete: { type: 'boolean' },
    canReport: { type: 'boolean' },
    canReact: { type: 'boolean' },
    url: { type: 'string', example: '/forum/p/00000000-0000-4000-8000-000000000000' },
  },
};
const FEED: SchemaObject = { type: 'object', properties: { items: { type: 'array', items: { ...THREAD_ITEM, properties: { ...THREAD_ITEM.properties, boardName: { type: 'string' } } } }, ...page } };
const ERROR = API_ERROR_SCHEMA;

/** The answers of a route that needs an approved member's session. */
const MemberOnly = () => SignedInResponses('Not an approved member (an application still under review), or a missing X-CSRF-Token on a write');
const NotFound = () => ApiNotFoundResponse({ description: 'No such board, thread or post — or one the caller may not read', schema: ERROR });
const Written = () => ApiConflictResponse({ description: 'The board is archived or the thread locked', schema: ERROR });

/**
 * The forum for API clients: the same rules as the pages (a board the caller may not read is a 404), the session
 * cookie, and the session's CSRF token as `X-CSRF-Token` on every write. Errors are JSON with message keys and the
 * text in the caller's language.
 */
@ApiTags('forum')
@ApiCookieAuth()
@ApiBadRequestResponse({ description: 'Invalid input: malformed ids, page numbers, wrong types, unknown fields, text the forum refuses', schema: ERROR })
@Controller('api/v1/forum')
export class ForumApiController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
  ) {}

  @Get('boards')
  @Access('public')
  @ApiOperation({ summary: "Boards the caller reads, in order (archived last), with counts and the caller's unread threads", description: 'Visitors get the boards readable by visitors.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { boards: { type: 'array', items: BOARD } } } })
  async boards(@Req() req: Request) {
    const boards = await this.queries.execute(new ListBoardsQuery(viewerOf(req), localeOf(req)));
    return { boards: boards.map(boardJson) };
  }

  @Get('boards/:boardId/threads')
  @Access('public')
  @ApiOperation({ summary: "A page of a board's threads, 30 a page (pinned ones first on page 1)" })
  @ApiOkResponse({ schema: { type: 'object', properties: { board: BOARD, items: { type: 'array', items: THREAD_ITEM }, ...page } } })
  @NotFound()
  async threads(@Param() params: ApiBoardParams, @Query() query: ApiPageRequest, @Req() req: Request) {
    const list = await this.queries.execute(new ListThreadsQuery(viewerOf(req), params.boardId, query.page ?? 1, localeOf(req)));
    return { board: boardJson(list.board), items: list.items.map(threadItemJson), total: list.total, page: list.page, pages: list.pages };
  }

  @Post('boards/:boardId/threads')
  @Access('member')
  @ApiOperation({ summary: 'Starts a thread: its title and first post (Markdown)', description: 'At most 10 new threads an hour per member.' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { threadId: uuid, postId: uuid, url: { type: 'string' } } } })
  @MemberOnly()
  @NotFound()
  @Written()
  @ApiTooManyRequestsResponse({ description: 'Too many new threads in the last hour', schema: ERROR })
  async startThread(@Param() params: ApiBoardParams, @Body() body: ApiThreadRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('forum:thread', viewer.memberId);
    const started = await this.commands.execute(new StartThreadCommand(viewer, params.boardId, body.title, { body: body.body }));
    return { threadId: started.threadId, postId: started.postId, url: `/forum/t/${started.threadId}` };
  }

  @Post('boards/:boardId/read')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Marks everything written in the board until now read' })
  @ApiNoContentResponse()
  @MemberOnly()
  @NotFound()
  async markBoardRead(@Param() params: ApiBoardParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new MarkBoardReadCommand(req.user as Viewer, params.boardId));
  }

  @Put('boards/:boardId/watch')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Watches a board (told about every new post), mutes it, or sets it back to normal' })
  @ApiNoContentResponse()
  @MemberOnly()
  @NotFound()
  async watchBoard(@Param() params: ApiBoardParams, @Body() body: ApiWatchRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new WatchBoardCommand(req.user as Viewer, params.boardId, body.level));
  }

  @Get('threads/:id')
  @Access('public')
  @ApiOperation({ summary: 'A page of 20 posts: number, author, rendered (sanitised) html, reactions; page and pages', description: 'Page numbers past the end answer the last page.' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        thread: {
          type: 'object',
          properties: {
            id: uuid,
            title: { type: 'string' },
            board: { type: 'object', properties: { id: uuid, name: { type: 'string' }, visibility: { type: 'string', enum: [...BOARD_VISIBILITIES] }, archived: { type: 'boolean' } } },
            author: AUTHOR,
            createdAt: dateTime,
            postCount: { type: 'integer' },
            lastNumber: { type: 'integer' },
            pinned: { type: 'string', enum: ['board', 'site'], nullable: true },
            locked: { type: 'boolean' },
            hidden: { type: 'boolean' },
            watch: { type: 'string', enum: [...WATCH_LEVELS] },
            url: { type: 'string' },
          },
        },
        posts: { type: 'array', items: POST },
        page: { type: 'integer' },
        pages: { type: 'integer' },
        canReply: { type: 'boolean' },
        canModerate: { type: 'boolean' },
        lastReadNumber: { type: 'integer' },
        firstUnreadNumber: { type: 'integer', nullable: true },
      },
    },
  })
  @NotFound()
  async thread(@Param() params: ApiIdParams, @Query() query: ApiPageRequest, @Req() req: Request) {
    const view = await this.queries.execute(new GetThreadQuery(viewerOf(req), params.id, query.page ?? 1, localeOf(req)));
    return { ...view, thread: { ...view.thread, url: `/forum/t/${view.thread.id}` }, posts: view.posts.map(postJson) };
  }

  @Post('threads/:id/posts')
  @Access('member')
  @ApiOperation({ summary: 'Replies to a thread (Markdown), optionally quoting a post of the same thread', description: 'At most 60 posts in ten minutes per member.' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { postId: uuid, number: { type: 'integer' }, page: { type: 'integer' }, url: { type: 'string' } } } })
  @MemberOnly()
  @NotFound()
  @Written()
  @ApiTooManyRequestsResponse({ description: 'Too many posts in the last ten minutes', schema: ERROR })
  async reply(@Param() params: ApiIdParams, @Body() body: ApiReplyRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('forum:post', viewer.memberId);
    const posted = await this.commands.execute(new ReplyToThreadCommand(viewer, params.id, { body: body.body, quotePostId: body.quotePostId ?? null }));
    return { postId: posted.postId, number: posted.number, page: posted.page, url: `/forum/p/${posted.postId}` };
  }

  @Post('threads/:id/read')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'The caller has read the thread up to post `number` (it only moves forward)' })
  @ApiNoContentResponse()
  @MemberOnly()
  @NotFound()
  async markRead(@Param() params: ApiIdParams, @Body() body: ApiForumReadRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new MarkThreadReadCommand(req.user as Viewer, params.id, body.number));
  }

  @Put('threads/:id/watch')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Watches a thread, mutes it, or sets it back to normal (replies to, mentions and quotes of you)' })
  @ApiNoContentResponse()
  @MemberOnly()
  @NotFound()
  async watchThread(@Param() params: ApiIdParams, @Body() body: ApiWatchRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new WatchThreadCommand(req.user as Viewer, params.id, body.level));
  }

  @Patch('posts/:id')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: "Edits one's own post (marked edited; the earlier text is kept for operators)" })
  @ApiNoContentResponse()
  @MemberOnly()
  @NotFound()
  async edit(@Param() params: ApiIdParams, @Body() body: ApiEditRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new EditPostCommand(req.user as Viewer, params.id, body.body));
  }

  @Delete('posts/:id')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: "Deletes one's own post (operators: any); it stays in its place as deleted" })
  @ApiNoContentResponse()
  @MemberOnly()
  @NotFound()
  async delete(@Param() params: ApiIdParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new DeletePostCommand(req.user as Viewer, params.id));
  }

  @Post('posts/:id/reactions')
  @Access('member')
  @ApiOperation({ summary: 'Adds a reaction: like, heart, smile, tada, thanks, eyes (or 👍 ❤️ 😄 🎉 🙏 👀); once per kind and member' })
  @ApiCreatedResponse({ description: "The post's reaction counts", schema: { type: 'object', properties: { reactions: REACTIONS } } })
  @MemberOnly()
  @NotFound()
  async react(@Param() params: ApiIdParams, @Body() body: ApiReactionRequest, @Req() req: Request) {
    return { reactions: await this.commands.execute(new ReactToPostCommand(req.user as Viewer, params.id, kindOf(body.kind), true)) };
  }

  @Delete('posts/:id/reactions/:kind')
  @Access('member')
  @ApiOperation({ summary: "Takes one's reaction back (the kind by name or emoji)" })
  @ApiOkResponse({ description: "The post's reaction counts", schema: { type: 'object', properties: { reactions: REACTIONS } } })
  @MemberOnly()
  @NotFound()
  async unreact(@Param() params: ApiReactionParams, @Req() req: Request) {
    return { reactions: await this.commands.execute(new ReactToPostCommand(req.user as Viewer, params.id, kindOf(params.kind), false)) };
  }

  @Post('posts/:id/reports')
  @Access('member')
  @ApiOperation({ summary: 'Reports a post to the moderators; reports from 3 different members hide it until an operator decides' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { reportId: uuid, hidden: { type: 'boolean', description: 'The post is hidden now (until reviewed)' } } } })
  @MemberOnly()
  @NotFound()
  @ApiConflictResponse({ description: "One's own post", schema: ERROR })
  async report(@Param() params: ApiIdParams, @Body() body: ApiForumReportRequest, @Req() req: Request) {
    const filed = await this.commands.execute(new ReportPostCommand(req.user as Viewer, params.id, body.reason));
    return { reportId: filed.reportId, hidden: filed.hidden };
  }

  @Get('search')
  @Access('public')
  @ApiOperation({ summary: 'Japanese-aware search over titles and posts of the boards the caller reads (words of 2+ characters)', description: 'Newest first; `total` is counted up to 200 (`more` is true beyond).' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              postId: uuid,
              threadId: uuid,
              threadTitle: { type: 'string' },
              boardId: uuid,
              boardName: { type: 'string' },
              number: { type: 'integer' },
              author: AUTHOR,
              createdAt: dateTime,
              snippet: { type: 'string', description: 'Plain text around the first match' },
              url: { type: 'string' },
            },
          },
        },
        words: { type: 'array', items: { type: 'string' }, description: 'The folded words searched for, for highlighting' },
        more: { type: 'boolean' },
        ...page,
      },
    },
  })
  async search(@Query() query: ApiSearchRequest, @Req() req: Request) {
    return this.queries.execute(
      new SearchForumQuery(viewerOf(req), { q: query.q ?? '', boardId: query.board, authorId: query.author, from: query.from, to: query.to }, query.page ?? 1, localeOf(req)),
    );
  }

  @Get('unread')
  @Access('member')
  @ApiOperation({ summary: 'Watched threads (started, replied to, watched, or on a watched board) with posts the caller has not read' })
  @ApiOkResponse({ schema: FEED })
  @MemberOnly()
  async unread(@Query() query: ApiPageRequest, @Req() req: Request) {
    return feedJson(await this.queries.execute(new ListUnreadThreadsQuery(req.user as Viewer, query.page ?? 1, localeOf(req))));
  }

  @Get('new')
  @Access('member')
  @ApiOperation({ summary: "Threads started since the caller's previous visit to the forum, in the boards they read" })
  @ApiOkResponse({ schema: FEED })
  @MemberOnly()
  async fresh(@Query() query: ApiPageRequest, @Req() req: Request) {
    return feedJson(await this.queries.execute(new ListNewThreadsQuery(req.user as Viewer, query.page ?? 1, localeOf(req))));
  }
}
