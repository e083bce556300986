import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import {
  DeletePostCommand,
  EditPostCommand,
  GetThreadQuery,
  ListBoardsQuery,
  ListNewThreadsQuery,
  ListThreadsQuery,
  ListUnreadThreadsQuery,
  MarkBoardReadCommand,
  MarkThreadReadCommand,
  ReactToPostCommand,
  ReplyToThreadCommand,
  ReportPostCommand,
  SearchForumQuery,
  StartThreadCommand,
  WatchBoardCommand,
  WatchThreadCommand,
  type BoardView,
  type ForumLocale,
} from '../contracts';
import { ApiPageRequest, ApiReactionRequest, ApiReadRequest, ApiReplyRequest, ApiReportRequest, ApiSearchRequest, ApiThreadRequest, ApiEditRequest, ApiWatchRequest } from './forum-api.request';

const viewerOf = (req: Request) => (req.user as Viewer | undefined) ?? null;
const localeOf = (req: Request): ForumLocale => (req.locale === 'en' ? 'en' : 'ja');
const boardJson = (b: BoardView) => ({ ...b, url: `/forum/b/${b.id}` });

/**
 * The forum for API clients: the same rules as the pages (a board the caller may not read is a 404), the session
 * cookie, and the session's CSRF token as `X-CSRF-Token` on every write.
 */
@ApiTags('forum')
@ApiCookieAuth()
@Controller('api/v1/forum')
export class ForumApiController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
  ) {}

  @Get('boards')
  @Access('public')
  @ApiOperation({ summary: 'Boards the caller reads, in order, with counts and the caller\'s unread threads' })
  async boards(@Req() req: Request) {
    const boards = await this.queries.execute(new ListBoardsQuery(viewerOf(req), localeOf(req)));
    return { boards: boards.map(boardJson) };
  }

  @Get('boards/:boardId/threads')
  @Access('public')
  @ApiOperation({ summary: 'A page of a board\'s threads (pinned first on page 1)' })
  async threads(@Param('boardId') boardId: string, @Query() query: ApiPageRequest, @Req() req: Request) {
    const list = await this.queries.execute(new ListThreadsQuery(viewerOf(req), boardId, query.page ?? 1, localeOf(req)));
    return { ...list, board: boardJson(list.board), items: list.items.map((t) => ({ ...t, url: `/forum/t/${t.id}` })) };
  }

  @Post('boards/:boardId/threads')
  @Access('member')
  @ApiOperation({ summary: 'Starts a thread: its title and first post (Markdown)' })
  async startThread(@Param('boardId') boardId: string, @Body() body: ApiThreadRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('forum:thread', viewer.memberId);
    const started = await this.commands.execute(new StartThreadCommand(viewer, boardId, body.title, { body: body.body }));
    return { ...started, url: `/forum/t/${started.threadId}` };
  }

  @Post('boards/:boardId/read')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Marks everything in the board read' })
  async markBoardRead(@Param('boardId') boardId: string, @Req() req: Request): Promise<void> {
    await this.commands.execute(new MarkBoardReadCommand(req.user as Viewer, boardId));
  }

  @Put('boards/:boardId/watch')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Watches (every new post), mutes, or sets a board back to normal' })
  async watchBoard(@Param('boardId') boardId: string, @Body() body: ApiWatchRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new WatchBoardCommand(req.user as Viewer, boardId, body.level));
  }

  @Get('threads/:id')
  @Access('public')
  @ApiOperation({ summary: 'A page of 20 posts: number, author, rendered (sanitised) html, reactions; page and pages' })
  async thread(@Param('id') id: string, @Query() query: ApiPageRequest, @Req() req: Request) {
    const view = await this.queries.execute(new GetThreadQuery(viewerOf(req), id, query.page ?? 1, localeOf(req)));
    return { ...view, posts: view.posts.map((p) => ({ ...p, url: `/forum/p/${p.id}` })) };
  }

  @Post('threads/:id/posts')
  @Access('member')
  @ApiOperation({ summary: 'Replies to a thread (Markdown), optionally quoting a post of the same thread' })
  async reply(@Param('id') id: string, @Body() body: ApiReplyRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('forum:post', viewer.memberId);
    const posted = await this.commands.execute(new ReplyToThreadCommand(viewer, id, { body: body.body, quotePostId: body.quotePostId }));
    return { ...posted, url: `/forum/p/${posted.postId}` };
  }

  @Post('threads/:id/read')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'The caller has read the thread up to post `number` (it only moves forward)' })
  async markRead(@Param('id') id: string, @Body() body: ApiReadRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new MarkThreadReadCommand(req.user as Viewer, id, body.number));
  }

  @Put('threads/:id/watch')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Watches, mutes, or sets a thread back to normal' })
  async watchThread(@Param('id') id: string, @Body() body: ApiWatchRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new WatchThreadCommand(req.user as Viewer, id, body.level));
  }

  @Patch('posts/:id')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Edits one\'s own post (marked edited; the earlier text is kept for operators)' })
  async edit(@Param('id') id: string, @Body() body: ApiEditRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new EditPostCommand(req.user as Viewer, id, body.body));
  }

  @Delete('posts/:id')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Deletes one\'s own post (operators: any); it stays in place as deleted' })
  async delete(@Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.commands.execute(new DeletePostCommand(req.user as Viewer, id));
  }

  @Post('posts/:id/reactions')
  @Access('member')
  @ApiOperation({ summary: 'Adds a reaction: like, heart, smile, tada, thanks, eyes (or 👍 ❤️ 😄 🎉 🙏 👀); once per kind' })
  async react(@Param('id') id: string, @Body() body: ApiReactionRequest, @Req() req: Request) {
    return { reactions: await this.commands.execute(new ReactToPostCommand(req.user as Viewer, id, body.kind as never, true)) };
  }

  @Delete('posts/:id/reactions/:kind')
  @Access('member')
  @ApiOperation({ summary: 'Takes one\'s reaction back' })
  async unreact(@Param('id') id: string, @Param('kind') kind: string, @Req() req: Request) {
    return { reactions: await this.commands.execute(new ReactToPostCommand(req.user as Viewer, id, kind as never, false)) };
  }

  @Post('posts/:id/reports')
  @Access('member')
  @ApiOperation({ summary: 'Reports a post to the moderators; 3 different reporters hide it until reviewed' })
  async report(@Param('id') id: string, @Body() body: ApiReportRequest, @Req() req: Request) {
    return this.commands.execute(new ReportPostCommand(req.user as Viewer, id, body.reason));
  }

  @Get('search')
  @Access('public')
  @ApiOperation({ summary: 'Japanese-aware search over titles and posts of the boards the caller reads (words of 2+ characters)' })
  async search(@Query() query: ApiSearchRequest, @Req() req: Request) {
    return this.queries.execute(
      new SearchForumQuery(viewerOf(req), { q: query.q ?? '', boardId: query.board, authorId: query.author, from: query.from, to: query.to }, query.page ?? 1, localeOf(req)),
    );
  }

  @Get('unread')
  @Access('member')
  @ApiOperation({ summary: 'Watched threads with posts the caller has not read' })
  async unread(@Query() query: ApiPageRequest, @Req() req: Request) {
    return this.queries.execute(new ListUnreadThreadsQuery(req.user as Viewer, query.page ?? 1, localeOf(req)));
  }

  @Get('new')
  @Access('member')
  @ApiOperation({ summary: 'Threads started since the caller\'s previous visit' })
  async fresh(@Query() query: ApiPageRequest, @Req() req: Request) {
    return this.queries.execute(new ListNewThreadsQuery(req.user as Viewer, query.page ?? 1, localeOf(req)));
  }
}
