import { Body, Controller, ForbiddenException, Get, Param, Post, Query, Render, Req, Res, UnauthorizedException, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { forumSearchProblems } from '../domain/forum-search-filter';
import { IMAGE_CACHE_CONTROL, sendImage } from '@libs/images/image-response';
import { ImagePurposes } from '@libs/images/image-purpose';
import { ImageService } from '@libs/images/image.service';
import { SafeHtml } from '@libs/markdown/markdown';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { MarkNotificationsReadByLinkCommand, NOTIFICATIONS_BADGE } from '@modules/notifications/contracts';
import { FormPage } from '@libs/web/form-return';
import { flash } from '@libs/web/form-state';
import { pageLinks } from '@libs/web/pagination';
import {
  DeletePostCommand,
  EditPostCommand,
  FORUM_PAGE_SIZE,
  GetForumImageAccessQuery,
  GetThreadQuery,
  ListBoardsQuery,
  ListNewThreadsQuery,
  ListPostRevisionsQuery,
  ListSitePinnedThreadsQuery,
  ListThreadsQuery,
  ListUnreadThreadsQuery,
  LocatePostQuery,
  MarkBoardReadCommand,
  MarkThreadReadCommand,
  ModeratePostCommand,
  ModerateThreadCommand,
  POST_IMAGES_MAX,
  REACTION_EMOJI,
  REACTION_KINDS,
  ReactToPostCommand,
  RecordForumVisitCommand,
  ReplyToThreadCommand,
  ReportPostCommand,
  SearchForumQuery,
  StartThreadCommand,
  SuggestMentionsQuery,
  WatchBoardCommand,
  WatchThreadCommand,
  WATCH_LEVELS,
  type PostView,
  type ThreadListItemView,
  type ThreadView,
} from '../contracts';
import {
  EditPostRequest,
  MentionRequest,
  ModeratePostRequest,
  ModerateThreadRequest,
  NewThreadRequest,
  PageRequest,
  ReactRequest,
  ReplyRequest,
  ReportRequest,
  SearchRequest,
  WatchRequest,
} from './forum.request';
import { localeOf, viewerOf } from '@libs/web/request-context';
import { countOutOnPage } from '@libs/web/header-badges';

const IMAGE_BYTES = 10 * 1024 * 1024;
const FORUM_SCRIPT = '/static/forum.js';

/** Visitors following a link to a members' thread are asked to sign in (for any id, so nothing is revealed). */
function signInForVisitors(viewer: Viewer | null) {
  return (e: unknown) => {
    if (!viewer && (e as { status?: number })?.status === 404) throw new UnauthorizedException();
    throw e;
  };
}

const postForView = (p: PostView) => ({ ...p, content: new SafeHtml(p.html), initial: [...p.author.displayName][0] ?? '?' });

/** A thread in a list, with the address of its first unread post. */
export const itemForView = <T extends ThreadListItemView>(t: T) => ({
  ...t,
  unreadHref: t.firstUnreadNumber ? `/forum/t/${t.id}?page=${Math.ceil(t.firstUnreadNumber / FORUM_PAGE_SIZE)}#p${t.firstUnreadNumber}` : null,
});

/** フォーラム: boards, threads, posts, reactions, reports, reading state, search. */
@ApiExcludeController()
@Controller('forum')
export class ForumPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
    private readonly images: ImageService,
  ) {}

  @Get()
  @Access('public')
  @Render('networking/forum')
  async index(@Req() req: Request) {
    const viewer = viewerOf(req);
    const locale = localeOf(req);
    const member = AccessPolicy.isMember(viewer);
    const boards = await this.queries.execute(new ListBoardsQuery(viewer, locale));
    if (member) await this.commands.execute(new RecordForumVisitCommand(viewer!));
    const pinned = await this.queries.execute(new ListSitePinnedThreadsQuery(viewer, locale));
    return { title: 'networking.forum.title', boards, pinned: pinned.map(itemForView), member, scripts: [FORUM_SCRIPT] };
  }

  @Get('unread')
  @Access('member')
  @Render('networking/feed')
  async unread(@Query() query: PageRequest, @Req() req: Request) {
    const feed = await this.queries.execute(new ListUnreadThreadsQuery(req.user as Viewer, query.page ?? 1, localeOf(req)));
    return { title: 'networking.forum.unread.title', heading: 'networking.forum.unread.title', lead: 'networking.forum.unread.lead', empty: 'networking.forum.unread.none', feed: { ...feed, items: feed.items.map(itemForView) }, pager: pageLinks('/forum/unread', {}, feed.page, feed.pages) };
  }

  @Get('new')
  @Access('member')
  @Render('networking/feed')
  async fresh(@Query() query: PageRequest, @Req() req: Request) {
    const feed = await this.queries.execute(new ListNewThreadsQuery(req.user as Viewer, query.page ?? 1, localeOf(req)));
    return { title: 'networking.forum.new.title', heading: 'networking.forum.new.title', lead: 'networking.forum.new.lead', empty: 'networking.forum.new.none', feed: { ...feed, items: feed.items.map(itemForView) }, pager: pageLinks('/forum/new', {}, feed.page, feed.pages) };
  }

  @Get('search')
  @Access('public')
  @Render('networking/search')
  async search(@Query() query: SearchRequest, @Req() req: Request) {
    const viewer = viewerOf(req);
    const locale = localeOf(req);
    const boards = await this.queries.execute(new ListBoardsQuery(viewer, locale));
    const filter = { q: query.q ?? '', boardId: query.board, authorId: query.author, from: query.from, to: query.to };
    let result = null;
    // What the search refuses (a word too short, a day that does not exist) is said next to its field.
    const problems: Record<string, string[]> = {};
    if (filter.q.trim()) {
      for (const e of forumSearchProblems(filter)) (problems[e.field!] ??= []).push(e.code);
      if (Object.keys(problems).length === 0) result = await this.queries.execute(new SearchForumQuery(viewer, filter, query.page ?? 1, locale));
    }
    const linkQuery = { q: filter.q, board: query.board, author: query.author, from: query.from, to: query.to };
    return {
      title: 'networking.forum.search.title',
      query: { ...linkQuery },
      boards,
      result,
      problems,
      pager: result ? pageLinks('/forum/search', linkQuery, result.page, result.pages) : null,
    };
  }

  @Get('mentions')
  @Access('member')
  async mentions(@Query() query: MentionRequest, @Req() req: Request) {
    return this.queries.execute(new SuggestMentionsQuery(req.user as Viewer, query.board, query.q));
  }

  @Get('images/:imageId/:variant')
  @Access('public')
  async image(@Param('imageId') imageId: string, @Param('variant') variant: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const access = await this.queries.execute(new GetForumImageAccessQuery(viewerOf(req), imageId));
    const image = access ? await this.images.open(ImagePurposes.attachment, imageId, variant) : null;
    if (!image) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    sendImage(res, image, access!.public ? IMAGE_CACHE_CONTROL.public : IMAGE_CACHE_CONTROL.members);
  }

  @Get('b/:boardId')
  @Access('public')
  @Render('networking/board')
  async board(@Param('boardId') boardId: string, @Query() query: PageRequest, @Req() req: Request) {
    const viewer = viewerOf(req);
    const list = await this.queries.execute(new ListThreadsQuery(viewer, boardId, query.page ?? 1, localeOf(req))).catch(signInForVisitors(viewer));
    const pager = pageLinks(`/forum/b/${boardId}`, {}, list.page, list.pages);
    return {
      title: list.board.name,
      titleIsText: true,
      list: { ...list, items: list.items.map(itemForView) },
      member: AccessPolicy.isMember(viewer),
      pager,
      headLinks: [...(pager.prev ? [{ rel: 'prev', href: pager.prev }] : []), ...(pager.next ? [{ rel: 'next', href: pager.next }] : [])],
      maxImages: POST_IMAGES_MAX,
      watchLevels: WATCH_LEVELS,
      scripts: [FORUM_SCRIPT],
    };
  }

  @Post('b/:boardId/threads')
  @FormPage('/forum/b/:boardId')
  @Access('member')
  @UseInterceptors(FilesInterceptor('images', POST_IMAGES_MAX + 1, { limits: { fileSize: IMAGE_BYTES, files: POST_IMAGES_MAX + 1, fields: 10 } }))
  async startThread(@Param('boardId') boardId: string, @Body() body: NewThreadRequest, @UploadedFiles() files: { buffer: Buffer; size: number }[] | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    await this.limits.consume('forum:thread', viewer.memberId);
    const images = (files ?? []).filter((f) => f.size > 0).map((f) => f.buffer);
    const { threadId } = await this.commands.execute(new StartThreadCommand(viewer, boardId, body.title, { body: body.body, images }));
    flash(req, 'success', 'networking.forum.flash.threadStarted');
    res.redirect(303, `/forum/t/${threadId}`);
  }

  @Post('b/:boardId/read')
  @Access('member')
  async markBoardRead(@Param('boardId') boardId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new MarkBoardReadCommand(req.user as Viewer, boardId));
    flash(req, 'success', 'networking.forum.flash.boardRead');
    res.redirect(303, `/forum/b/${boardId}`);
  }

  @Post('b/:boardId/watch')
  @Access('member')
  async watchBoard(@Param('boardId') boardId: string, @Body() body: WatchRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new WatchBoardCommand(req.user as Viewer, boardId, body.level));
    flash(req, 'success', `networking.forum.flash.watch.${body.level}`);
    res.redirect(303, `/forum/b/${boardId}`);
  }

  @Get('t/:threadId')
  @Access('public')
  @Render('networking/thread')
  async thread(@Param('threadId') threadId: string, @Query() query: PageRequest, @Req() req: Request) {
    const viewer = viewerOf(req);
    const locale = localeOf(req);
    const per = query.per === '50' ? 50 : FORUM_PAGE_SIZE;
    const view: ThreadView = await this.queries.execute(new GetThreadQuery(viewer, threadId, query.page ?? 1, locale, per)).catch(signInForVisitors(viewer));
    const member = AccessPolicy.isMember(viewer);
    const last = view.posts[view.posts.length - 1];
    if (member && last && last.number > view.lastReadNumber) await this.commands.execute(new MarkThreadReadCommand(viewer!, threadId, last.number));
    // Notices about the posts on this page (replies, mentions, quotes, reactions) have been seen.
    if (member && view.posts.length) {
      await countOutOnPage(req, NOTIFICATIONS_BADGE, () => this.commands.execute(new MarkNotificationsReadByLinkCommand(viewer!, view.posts.map((p) => `/forum/p/${p.id}`))));
    }
    const pager = pageLinks(`/forum/t/${threadId}`, per === 50 ? { per: '50' } : {}, view.page, view.pages);
    const quoting = query.quote ? view.posts.find((p) => p.id === query.quote && !p.deleted && !p.hidden) : undefined;
    const firstUnreadPage = view.firstUnreadNumber ? Math.ceil(view.firstUnreadNumber / per) : null;
    const boards = view.canModerate ? (await this.queries.execute(new ListBoardsQuery(viewer, locale))).filter((b) => b.id !== view.thread.board.id) : [];
    return {
      title: view.thread.title,
      titleIsText: true,
      view,
      posts: view.posts.map(postForView),
      member,
      pager,
      headLinks: [...(pager.prev ? [{ rel: 'prev', href: pager.prev }] : []), ...(pager.next ? [{ rel: 'next', href: pager.next }] : [])],
      quoting: quoting ? { id: quoting.id, number: quoting.number, authorName: quoting.author.displayName } : null,
      firstUnread: view.firstUnreadNumber && view.firstUnreadNumber > (view.posts[0]?.number ?? 0) + view.posts.length - 1 ? { page: firstUnreadPage, number: view.firstUnreadNumber } : null,
      reactionKinds: REACTION_KINDS.map((kind) => ({ kind, emoji: REACTION_EMOJI[kind] })),
      per50: per === 50,
      moderationActions: [
        view.thread.pinned ? 'unpin' : 'pin-board',
        ...(view.thread.pinned === 'site' ? [] : ['pin-site']),
        view.thread.locked ? 'unlock' : 'lock',
        view.thread.hidden ? 'show' : 'hide',
      ],
      boards,
      maxImages: POST_IMAGES_MAX,
      watchLevels: WATCH_LEVELS,
      scripts: [FORUM_SCRIPT],
    };
  }

  @Post('t/:threadId/posts')
  @FormPage('/forum/t/:threadId')
  @Access('member')
  @UseInterceptors(FilesInterceptor('images', POST_IMAGES_MAX + 1, { limits: { fileSize: IMAGE_BYTES, files: POST_IMAGES_MAX + 1, fields: 10 } }))
  async reply(@Param('threadId') threadId: string, @Body() body: ReplyRequest, @UploadedFiles() files: { buffer: Buffer; size: number }[] | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    await this.limits.consume('forum:post', viewer.memberId);
    const images = (files ?? []).filter((f) => f.size > 0).map((f) => f.buffer);
    const posted = await this.commands.execute(new ReplyToThreadCommand(viewer, threadId, { body: body.body, quotePostId: body.quotePostId, images }));
    flash(req, 'success', 'networking.forum.flash.replied');
    res.redirect(303, `/forum/t/${threadId}?page=${posted.page}#p${posted.number}`);
  }

  @Post('t/:threadId/watch')
  @Access('member')
  async watchThread(@Param('threadId') threadId: string, @Body() body: WatchRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new WatchThreadCommand(req.user as Viewer, threadId, body.level));
    flash(req, 'success', `networking.forum.flash.watch.${body.level}`);
    res.redirect(303, `/forum/t/${threadId}`);
  }

  @Post('t/:threadId/moderate')
  @Access('operator')
  async moderateThread(@Param('threadId') threadId: string, @Body() body: ModerateThreadRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ModerateThreadCommand(req.user as Viewer, threadId, body.action, body.boardId));
    flash(req, 'success', 'networking.forum.flash.moderated');
    res.redirect(303, `/forum/t/${threadId}`);
  }

  @Get('p/:postId')
  @Access('public')
  async locate(@Param('postId') postId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = viewerOf(req);
    const at = await this.queries.execute(new LocatePostQuery(viewer, postId)).catch(signInForVisitors(viewer));
    res.redirect(303, `/forum/t/${at.threadId}?page=${at.page}#p${at.number}`);
  }

  /** The thread page holding a post, to go back to after an action (a GET of /forum/p/:id would take the flash). */
  private async postUrl(req: Request, postId: string): Promise<string> {
    const at = await this.queries.execute(new LocatePostQuery(req.user as Viewer, postId));
    return `/forum/t/${at.threadId}?page=${at.page}#p${at.number}`;
  }

  /** The post, its thread and page, for the forms about one post. */
  private async postOf(req: Request, postId: string) {
    const viewer = req.user as Viewer;
    const at = await this.queries.execute(new LocatePostQuery(viewer, postId));
    const view = await this.queries.execute(new GetThreadQuery(viewer, at.threadId, at.page, localeOf(req)));
    const post = view.posts.find((p) => p.id === postId)!;
    return { at, view, post };
  }

  @Get('p/:postId/edit')
  @Access('member')
  @Render('networking/post-edit')
  async editForm(@Param('postId') postId: string, @Req() req: Request) {
    const { view, post } = await this.postOf(req, postId);
    if (!post.canEdit) throw new ForbiddenException();
    return { title: 'networking.forum.edit.title', thread: view.thread, post, scripts: [FORUM_SCRIPT] };
  }

  @Post('p/:postId/edit')
  @FormPage('/forum/p/:postId/edit')
  @Access('member')
  async edit(@Param('postId') postId: string, @Body() body: EditPostRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new EditPostCommand(req.user as Viewer, postId, body.body));
    flash(req, 'success', 'networking.forum.flash.edited');
    res.redirect(303, await this.postUrl(req, postId));
  }

  @Post('p/:postId/delete')
  @Access('member')
  async delete(@Param('postId') postId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DeletePostCommand(req.user as Viewer, postId));
    flash(req, 'success', 'networking.forum.flash.deleted');
    res.redirect(303, await this.postUrl(req, postId));
  }

  @Post('p/:postId/react')
  @Access('member')
  async react(@Param('postId') postId: string, @Body() body: ReactRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const reactions = await this.commands.execute(new ReactToPostCommand(req.user as Viewer, postId, body.kind, body.on !== '0'));
    // The script sends Accept: application/json and updates the buttons in place; a plain form goes back to the post.
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ reactions });
      return;
    }
    res.redirect(303, await this.postUrl(req, postId));
  }

  @Get('p/:postId/report')
  @Access('member')
  @Render('networking/post-report')
  async reportForm(@Param('postId') postId: string, @Req() req: Request) {
    const { view, post } = await this.postOf(req, postId);
    if (!post.canReport) throw new ForbiddenException();
    return { title: 'networking.forum.report.title', thread: view.thread, post: postForView(post) };
  }

  @Post('p/:postId/report')
  @FormPage('/forum/p/:postId/report')
  @Access('member')
  async report(@Param('postId') postId: string, @Body() body: ReportRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ReportPostCommand(req.user as Viewer, postId, body.reason));
    flash(req, 'success', 'networking.forum.flash.reported');
    res.redirect(303, await this.postUrl(req, postId));
  }

  @Post('p/:postId/moderate')
  @Access('operator')
  async moderatePost(@Param('postId') postId: string, @Body() body: ModeratePostRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ModeratePostCommand(req.user as Viewer, postId, body.action, body.note ?? ''));
    flash(req, 'success', 'networking.forum.flash.moderated');
    res.redirect(303, await this.postUrl(req, postId));
  }

  @Get('p/:postId/revisions')
  @Access('operator')
  @Render('networking/post-revisions')
  async revisions(@Param('postId') postId: string, @Req() req: Request) {
    const { view, post } = await this.postOf(req, postId);
    const revisions = await this.queries.execute(new ListPostRevisionsQuery(req.user as Viewer, postId));
    return { title: 'networking.forum.revisions.title', thread: view.thread, post: postForView(post), revisions };
  }
}
