import { MarkNotificationsReadByLinkCommand, NOTIFICATIONS_BADGE } from '@modules/notifications/contracts';
import { REPORT_REASON_MAX } from '@modules/moderation/contracts';
import { Body, Controller, ForbiddenException, Get, Logger, NotFoundException, Param, Post, Query, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { AppConfig } from '@libs/config';
import { DomainError } from '@libs/ddd';
import { zoneLabel } from '@libs/calendar/zoned-time';
import { isCalendarDay } from '@libs/calendar/calendar-day';
import { messageCatalog } from '@libs/i18n';
import { IMAGE_CACHE_CONTROL, sendImage } from '@libs/images/image-response';
import { ImagePurposes } from '@libs/images/image-purpose';
import { ImageService } from '@libs/images/image.service';
import { isImageId } from '@libs/images/image-store';
import { SafeHtml } from '@libs/markdown/markdown';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { FormPage } from '@libs/web/form-return';
import { flash, keepFormState } from '@libs/web/form-state';
import { HttpErrorFilter } from '@libs/web/http-error.filter';
import { pageLinks } from '@libs/web/pagination';
import { createValidationPipe, RequestValidationError } from '@libs/web/request-validation';
import { ListEventsQuery, type EventListItemView } from '@modules/events/contracts';
import {
  BODY_MAX,
  COMMENT_MAX,
  CONTENT_LANGUAGES,
  CONTENT_TYPES,
  CONTENT_VISIBILITIES,
  CommentOnContentCommand,
  CreateContentCommand,
  DeclineContentCommand,
  DeleteContentCommentCommand,
  DiscardContentCommand,
  FeatureContentCommand,
  GetContentHomeQuery,
  GetContentImageAccessQuery,
  GetContentQuery,
  LikeContentCommand,
  GetContentArticleQuery,
  GetContentCommentQuery,
  ListContentQuery,
  ListContentRevisionsQuery,
  ListMyContentQuery,
  ListPublicContentQuery,
  PreviewContentQuery,
  PublishContentCommand,
  RecordContentViewCommand,
  ReportContentCommentCommand,
  RETURN_COMMENT_MAX,
  ReturnContentCommand,
  SubmitContentCommand,
  SUMMARY_MAX,
  TAGS_MAX,
  TITLE_MAX,
  UnpublishContentCommand,
  UpdateContentCommand,
  UploadContentImageCommand,
  WithdrawContentCommand,
  type ContentCommentView,
  type ContentInput,
  type ContentItemView,
  type ContentListFilter,
  type ContentListView,
  type ContentType,
} from '../contracts';
import {
  CommentActionRequest,
  CommentReportRequest,
  CommentRequest,
  ContentFormRequest,
  ContentListRequest,
  EditContentRequest,
  FeatureRequest,
  ImageUploadRequest,
  LikeRequest,
  NewContentRequest,
  PageRequest,
  PublishRequest,
  ReviewCommentRequest,
  RevisionsRequest,
} from './content.request';
import {
  CONTENT_SCRIPT,
  cardForView,
  contentImagePath,
  fromLocalInput,
  parseTags,
  shareLinks,
  statusBadge,
  toLocalInput,
  viewerKeyOf,
  xml,
} from './content-view';
import { ContentIdPipe } from './content-api.request';
import { localeOf, viewerOf, zoneOf } from '@libs/web/request-context';
import { countOutOnPage } from '@libs/web/header-badges';

const IMAGE_BYTES = 10 * 1024 * 1024;
const ATOM_ENTRIES = 50;


const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

interface SessionWithContent {
  contentPreview?: { id: string; html: string; readingMinutes: number };
  contentSnippet?: { id: string; markdown: string };
}
const sessionOf = (req: Request) => req.session as unknown as SessionWithContent;

/** The editor's fields as the item's input (what was left out stays as it is). */
function inputOf(form: ContentFormRequest): Partial<ContentInput> {
  const input: Partial<ContentInput> = {};
  if (form.type !== undefined) input.type = form.type;
  if (form.title !== undefined) input.title = form.title;
  if (form.summary !== undefined) input.summary = form.summary;
  if (form.body !== undefined) input.body = form.body;
  if (form.tags !== undefined) input.tags = parseTags(form.tags);
  if (form.visibility !== undefined) input.visibility = form.visibility;
  if (form.language !== undefined) input.language = form.language;
  if (form.eventId !== undefined) input.eventId = form.eventId === '' ? null : form.eventId;
  // Only event reports name an event: a type changed away from it drops the event rather than refusing the save.
  if (input.type !== undefined && input.type !== 'event-report') input.eventId = null;
  if (form.removeCover) input.coverImageId = null;
  else if (form.coverImageId) input.coverImageId = form.coverImageId;
  if (form.coverAlt !== undefined) input.coverAlt = form.coverAlt;
  return input;
}

type CommentForView = ContentCommentView & { content: SafeHtml; initial: string; createdIso: string; replies: CommentForView[] };
const commentForView = (c: ContentCommentView): CommentForView => ({
  ...c,
  content: new SafeHtml(c.html),
  createdIso: new Date(c.createdAt).toISOString(),
  initial: [...c.author.displayName][0] ?? '?',
  replies: c.replies.map(commentForView),
});

/**
 * コンテンツ: the list, an article with its likes, comments and sharing, the editor with autosave and preview, the
 * workflow's buttons, the member's own items, the revision history, images and the Atom feed.
 */
@ApiExcludeController()
@Controller('content')
export class ContentPageController {
  private readonly logger = new Logger('ContentPages');
  private readonly validation = createValidationPipe();
  private readonly errors = new HttpErrorFilter();

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
    private readonly images: ImageService,
    private readonly config: AppConfig,
  ) {}

  // ---- Reading ----

  @Get()
  @Access('public')
  @Render('content/list')
  async list(@Query() query: ContentListRequest, @Req() req: Request) {
    const viewer = viewerOf(req);
    const locale = localeOf(req);
    const problems: Record<string, string[]> = {};
    const type = query.type;
    const from = query.from && isCalendarDay(query.from) ? query.from : undefined;
    const to = query.to && isCalendarDay(query.to) ? query.to : undefined;
    if (query.from && !from) problems.from = ['validation.isDateString'];
    if (query.to && !to) problems.to = ['validation.isDateString'];
    if (from && to && from > to) problems.to = ['content.list.rangeReversed'];
    const filter: ContentListFilter = { type, tag: query.tag, q: query.q, from, to: problems.to ? undefined : to };
    const page = query.page ?? 1;
    let result: ContentListView;
    try {
      result = await this.queries.execute(new ListContentQuery(viewer, filter, page, locale));
    } catch (e) {
      // A search the query refuses (a word too short, too many words) is said next to the search box.
      if (!(e instanceof DomainError) || !e.field) throw e;
      (problems[e.field] ??= []).push(e.code);
      result = { items: [], total: 0, page: 1, pages: 1, words: [] };
    }
    const filtered = !!(filter.tag || filter.q || filter.from || filter.to);
    const featured = page === 1 && !filtered && !type ? (await this.queries.execute(new GetContentHomeQuery(viewer, locale, 0))).featured : [];
    const featuredIds = new Set(featured.map((f) => f.id));
    const linkQuery = { type, tag: filter.tag, q: filter.q, from: filter.from, to: filter.to };
    const tabHref = (t?: ContentType) => pageLinks('/content', { ...linkQuery, type: t }, 1, 1).links[0].href;
    const tags = [...new Set([...featured, ...result.items].flatMap((i) => i.tags))].slice(0, 20);
    const pager = pageLinks('/content', linkQuery, result.page, result.pages);
    return {
      title: 'content.list.title',
      query: { type, tag: query.tag ?? '', q: query.q ?? '', from: query.from ?? '', to: query.to ?? '' },
      problems,
      tabs: [{ key: 'all', label: 'content.list.all', href: tabHref(undefined), current: !type }, ...CONTENT_TYPES.map((t) => ({ key: t, label: `content.type.${t}`, href: tabHref(t), current: t === type }))],
      tagChips: tags.map((tag) => ({ tag, href: pageLinks('/content', { type, tag }, 1, 1).links[0].href, current: tag === filter.tag })),
      clearTagHref: pageLinks('/content', { ...linkQuery, tag: undefined }, 1, 1).links[0].href,
      featured: featured.map(cardForView),
      result: { ...result, items: result.items.filter((i) => !featuredIds.has(i.id)).map(cardForView) },
      filtered,
      member: AccessPolicy.isMember(viewer),
      pager,
      headLinks: [
        { rel: 'alternate', type: 'application/atom+xml', href: '/content/feed.atom', title: 'Atom' },
        ...(pager.prev ? [{ rel: 'prev', href: pager.prev }] : []),
        ...(pager.next ? [{ rel: 'next', href: pager.next }] : []),
      ],
    };
  }

  @Get('feed.atom')
  @Access('public')
  async feed(@Res() res: Response): Promise<void> {
    const entries = await this.queries.execute(new ListPublicContentQuery(ATOM_ENTRIES));
    const base = this.config.baseUrl;
    const catalog = messageCatalog();
    // One feed for every reader (it is cached publicly): in the community's language.
    const locale = this.config.defaultLocale === 'en' ? 'en' : 'ja';
    const updated = entries.reduce((max, e) => Math.max(max, new Date(e.updatedAt).getTime()), 0);
    const title = `${this.config.communityName} — ${catalog.t(locale, 'content.list.title')}`;
    const lines = [
      '<?xml version="1.0" encoding="utf-8"?>',
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
      `  <id>${xml(`${base}/content/feed.atom`)}</id>`,
      `  <title>${xml(title)}</title>`,
      `  <link rel="self" type="application/atom+xml" href="${xml(`${base}/content/feed.atom`)}"/>`,
      `  <link rel="alternate" type="text/html" href="${xml(`${base}/content`)}"/>`,
      `  <updated>${new Date(updated || Date.now()).toISOString()}</updated>`,
      `  <author><name>${xml(this.config.communityName)}</name></author>`,
      ...entries.flatMap((e) => [
        `  <entry xml:lang="${e.language}">`,
        `    <id>${xml(e.url)}</id>`,
        `    <title>${xml(e.title)}</title>`,
        `    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>`,
        `    <published>${new Date(e.publishedAt).toISOString()}</published>`,
        `    <updated>${new Date(e.updatedAt).toISOString()}</updated>`,
        `    <author><name>${xml(e.authorName)}</name></author>`,
        `    <summary type="text">${xml(e.summary)}</summary>`,
        `    <category term="${xml(e.type)}" label="${xml(catalog.t(e.language, `content.type.${e.type}`))}"/>`,
        ...e.tags.map((tag) => `    <category term="${xml(tag)}"/>`),
        ...(e.imageUrl ? [`    <link rel="enclosure" type="image/jpeg" href="${xml(e.imageUrl)}"/>`] : []),
        '  </entry>',
      ]),
      '</feed>',
      '',
    ];
    res.status(200);
    res.setHeader('Content-Type', 'application/atom+xml; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.send(lines.join('\n'));
  }

  @Get('mine')
  @Access('member')
  @Render('content/mine')
  async mine(@Query() query: PageRequest, @Req() req: Request) {
    const list = await this.queries.execute(new ListMyContentQuery(req.user as Viewer, query.page ?? 1, localeOf(req)));
    return {
      title: 'content.mine.title',
      list: {
        ...list,
        items: list.items.map((i) => ({
          ...cardForView(i),
          next: i.revisionStatus ? `content.mine.next.revision.${i.revisionStatus}` : `content.mine.next.${i.status}`,
          scheduledIso: i.scheduledAt ? new Date(i.scheduledAt).toISOString() : null,
        })),
      },
      pager: pageLinks('/content/mine', {}, list.page, list.pages),
    };
  }

  @Get('images/:imageId/:variant')
  @Access('public')
  async image(@Param('imageId') imageId: string, @Param('variant') variant: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const access = isImageId(imageId) ? await this.queries.execute(new GetContentImageAccessQuery(viewerOf(req), imageId)) : null;
    // Covers are stored as JPEG renditions (card, og, 960, full), pictures in the body as WebP (960, 320, full).
    const image = access ? ((await this.images.open(ImagePurposes.contentCover, imageId, variant)) ?? (await this.images.open(ImagePurposes.attachment, imageId, variant))) : null;
    if (!image) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    sendImage(res, image, access!.public ? IMAGE_CACHE_CONTROL.public : IMAGE_CACHE_CONTROL.members);
  }

  // ---- Comments (by their own id) ----

  /** A comment's own address: the page of its item's comments that shows it (notices and the flash lead here). */
  @Get('comments/:commentId')
  @Access('public')
  async commentLink(@Param('commentId', ContentIdPipe) commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const found = await this.queries.execute(new GetContentCommentQuery(viewerOf(req), commentId, localeOf(req)));
    if (!found) throw new NotFoundException();
    res.redirect(303, found.url);
  }

  /** Where the comment is now (after a change), else its item's comments. */
  private async commentUrl(req: Request, commentId: string, contentId: string): Promise<string> {
    const found = await this.queries.execute(new GetContentCommentQuery(viewerOf(req), commentId, localeOf(req)));
    return found?.url ?? `/content/${contentId}#comments`;
  }

  @Post('comments/:commentId/delete')
  @Access('member')
  async deleteComment(@Param('commentId', ContentIdPipe) commentId: string, @Body() body: CommentActionRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DeleteContentCommentCommand(req.user as Viewer, commentId));
    flash(req, 'success', 'content.flash.commentDeleted');
    // Back to the page it was on, at the comments.
    res.redirect(303, (await this.commentUrl(req, commentId, body.contentId)).replace(/#.*$/, '#comments'));
  }

  /** Reporting a comment: its own page with the reason (the article lists a link per comment, not a form). */
  @Get('comments/:commentId/report')
  @Access('member')
  @Render('content/comment-report')
  async reportCommentForm(@Param('commentId', ContentIdPipe) commentId: string, @Req() req: Request) {
    const found = await this.queries.execute(new GetContentCommentQuery(viewerOf(req), commentId, localeOf(req)));
    if (!found) throw new NotFoundException();
    if (!found.comment.canReport) throw new ForbiddenException();
    return { title: 'content.comments.reportTitle', found, comment: commentForView(found.comment), reasonMax: REPORT_REASON_MAX };
  }

  @Post('comments/:commentId/report')
  @FormPage('/content/comments/:commentId/report')
  @Access('member')
  async reportComment(@Param('commentId', ContentIdPipe) commentId: string, @Body() body: CommentReportRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.limits.consume('write:member', (req.user as Viewer).memberId);
    await this.commands.execute(new ReportContentCommentCommand(req.user as Viewer, commentId, body.reason));
    flash(req, 'success', 'content.flash.commentReported');
    res.redirect(303, await this.commentUrl(req, commentId, body.contentId ?? ''));
  }

  // ---- Writing ----

  @Get('new')
  @Access('member')
  @Render('content/editor')
  async newForm(@Query() query: NewContentRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = req.user as Viewer;
    const type = query.type ?? (query.eventId ? 'event-report' : 'column');
    return this.editorModel(req, res, viewer, null, {
      type,
      title: '',
      summary: '',
      body: '',
      tags: '',
      visibility: 'members',
      language: localeOf(req),
      eventId: type === 'event-report' ? (query.eventId ?? '') : '',
      coverAlt: '',
    });
  }

  @Post()
  @FormPage('/content/new')
  @Access('member')
  async create(@Body() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const json = wantsJson(req);
    try {
      const form = await this.editorForm(raw);
      // Only operators publish: refused before anything is saved.
      if (form.intent === 'publish' && !AccessPolicy.isOperator(viewer)) throw new ForbiddenException();
      await this.limits.consume('write:member', viewer.memberId);
      const given = inputOf(form);
      const input: ContentInput = {
        type: given.type ?? 'column',
        title: given.title ?? '',
        summary: given.summary ?? '',
        body: given.body ?? '',
        tags: given.tags ?? [],
        visibility: given.visibility ?? 'members',
        language: given.language ?? localeOf(req),
        eventId: given.eventId ?? null,
        coverImageId: given.coverImageId ?? null,
        coverAlt: given.coverAlt ?? '',
      };
      const { contentId } = await this.commands.execute(new CreateContentCommand(viewer, input));
      if (json) {
        res.status(201).json({ id: contentId, status: 'draft', revisionStatus: null, savedAt: new Date().toISOString(), editUrl: `/content/${contentId}/edit`, action: `/content/${contentId}` });
        return;
      }
      await this.afterSave(req, res, contentId, form.intent ?? 'save');
    } catch (e) {
      if (!json) throw e;
      this.jsonError(req, res, e);
    }
  }

  @Get(':id')
  @Access('public')
  @Render('content/article')
  async article(@Param('id', ContentIdPipe) id: string, @Query() query: PageRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = viewerOf(req);
    const locale = localeOf(req);
    const { item, related, comments } = await this.queries.execute(new GetContentArticleQuery(viewer, id, query.page ?? 1, locale, 3));
    const online = item.status === 'published';
    if (online) this.recordView(req, id, viewer);
    // The bell's notices about this article (comments, likes, a review decision) have been seen.
    if (viewer) await countOutOnPage(req, NOTIFICATIONS_BADGE, () => this.commands.execute(new MarkNotificationsReadByLinkCommand(viewer, [`/content/${id}`])));
    const timeZone = zoneOf(res);
    const isPublic = online && item.visibility === 'public';
    const isAuthor = !!viewer && item.author.memberId === viewer.memberId;
    const v = item.version;
    const commentPager = comments ? pageLinks(`/content/${id}`, {}, comments.page, comments.pages) : null;
    return {
      title: v.title,
      titleIsText: true,
      item: { ...item, statusBadge: statusBadge(item.status) },
      publishedIso: item.publishedAt ? new Date(item.publishedAt).toISOString() : null,
      authorInitial: [...item.author.displayName][0] ?? '?',
      body: new SafeHtml(v.html),
      cover: v.cover ? { ...v.cover, headUrl: contentImagePath(v.cover.imageId, '960') } : null,
      revisionBody: item.revision ? new SafeHtml(item.revision.version.html) : null,
      online,
      isPublic,
      isAuthor,
      member: AccessPolicy.isMember(viewer),
      share: isPublic ? shareLinks(item.canonicalUrl, v.title) : [],
      related: related.map(cardForView),
      comments: comments ? { ...comments, items: comments.items.map(commentForView) } : null,
      commentPager,
      commentMax: COMMENT_MAX,
      reviewMax: RETURN_COMMENT_MAX,
      publishAt: toLocalInput(item.scheduledAt ?? new Date(Date.now() + 24 * 3600 * 1000), timeZone),
      publishMin: toLocalInput(new Date(), timeZone),
      zone: zoneLabel(timeZone, locale),
      workflow: item.can.edit || item.can.submit || item.can.withdraw || item.can.publish || item.can.return || item.can.decline || item.can.unpublish || item.can.feature || item.can.discard,
      headLinks: [
        ...(online ? [{ rel: 'canonical', href: item.canonicalUrl }] : []),
        { rel: 'alternate', type: 'application/atom+xml', href: '/content/feed.atom', title: 'Atom' },
      ],
      headMeta: this.headMeta(item, isPublic),
      scripts: [CONTENT_SCRIPT],
    };
  }

  /** OGP, Twitter card and article tags of a public item (what X, Facebook, LinkedIn, LINE and Hatena show). */
  private headMeta(item: ContentItemView, isPublic: boolean) {
    const v = item.version;
    const description = v.summary || item.summary;
    const meta: { name?: string; property?: string; content: string }[] = [{ name: 'description', content: description }];
    if (!isPublic) return [...meta, { name: 'robots', content: 'noindex' }];
    const image = v.cover ? new URL(v.cover.ogUrl, `${this.config.baseUrl}/`).toString() : null;
    meta.push(
      { property: 'og:type', content: 'article' },
      { property: 'og:site_name', content: this.config.communityName },
      { property: 'og:title', content: v.title },
      { property: 'og:description', content: description },
      { property: 'og:url', content: item.canonicalUrl },
      { property: 'og:locale', content: v.language === 'en' ? 'en_US' : 'ja_JP' },
    );
    if (image) {
      meta.push(
        { property: 'og:image', content: image },
        { property: 'og:image:type', content: 'image/jpeg' },
        { property: 'og:image:width', content: String(v.cover?.ogWidth ?? 1200) },
        { property: 'og:image:height', content: String(v.cover?.ogHeight ?? 630) },
        { property: 'og:image:alt', content: v.cover?.alt || v.title },
      );
    }
    meta.push(
      { name: 'twitter:card', content: 'summary_large_image' },
      { name: 'twitter:title', content: v.title },
      { name: 'twitter:description', content: description },
      ...(image ? [{ name: 'twitter:image', content: image }, { name: 'twitter:image:alt', content: v.cover?.alt || v.title }] : []),
      ...(item.publishedAt ? [{ property: 'article:published_time', content: new Date(item.publishedAt).toISOString() }] : []),
      { property: 'article:modified_time', content: new Date(item.updatedAt).toISOString() },
      { property: 'article:section', content: messageCatalog().t(v.language, `content.type.${v.type}`) },
      ...v.tags.map((tag) => ({ property: 'article:tag', content: tag })),
    );
    return meta;
  }

  /** Counts the view off the request path: the command only appends to a list the worker drains; nothing is awaited. */
  private recordView(req: Request, id: string, viewer: Viewer | null): void {
    const key = viewerKeyOf(req, viewer, this.config.sessionSecret);
    if (!key) return;
    this.commands.execute(new RecordContentViewCommand(id, key)).catch((e: unknown) => this.logger.warn(`view of ${id} not recorded: ${(e as Error).message}`));
  }

  @Get(':id/edit')
  @Access('member')
  @Render('content/editor')
  async editForm(@Param('id', ContentIdPipe) id: string, @Query() query: EditContentRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = req.user as Viewer;
    const item = await this.queries.execute(new GetContentQuery(viewer, id, localeOf(req)));
    if (!item.can.edit) throw new ForbiddenException();
    // A "returned with a comment" notice leads here.
    await countOutOnPage(req, NOTIFICATIONS_BADGE, () => this.commands.execute(new MarkNotificationsReadByLinkCommand(viewer, [`/content/${id}/edit`])));
    const v = item.revision?.version ?? item.version;
    return this.editorModel(
      req,
      res,
      viewer,
      item,
      { type: v.type, title: v.title, summary: v.summary, body: v.body, tags: v.tags.join(', '), visibility: v.visibility, language: v.language, eventId: v.eventId ?? '', coverAlt: v.cover?.alt ?? '' },
      query.cover && isImageId(query.cover) ? query.cover : undefined,
    );
  }

  private async editorModel(
    req: Request,
    res: Response,
    viewer: Viewer,
    item: ContentItemView | null,
    values: { type: ContentType; title: string; summary: string; body: string; tags: string; visibility: string; language: string; eventId: string; coverAlt: string },
    uploadedCover?: string,
  ) {
    const timeZone = zoneOf(res);
    const operator = AccessPolicy.isOperator(viewer);
    const isAuthor = !item || item.author.memberId === viewer.memberId;
    const past = await this.queries
      .execute(new ListEventsQuery(viewer, { tab: 'past' }, 1, timeZone))
      .then((page) => page.items as EventListItemView[])
      .catch((e: unknown) => {
        this.logger.warn(`past events not listed: ${(e as Error).message}`);
        return [] as EventListItemView[];
      });
    const events = past.map((e) => ({ id: e.id, title: e.title, startsAt: e.startsAt }));
    const current = item?.event ?? null;
    if (current && !events.some((e) => e.id === current.eventId)) events.unshift({ id: current.eventId, title: current.title, startsAt: current.startsAt });
    const version = item ? (item.revision?.version ?? item.version) : null;
    const session = sessionOf(req);
    const preview = item && session.contentPreview?.id === item.id ? session.contentPreview : undefined;
    if (preview) delete session.contentPreview;
    const snippet = item && session.contentSnippet?.id === item.id ? session.contentSnippet.markdown : undefined;
    if (snippet) delete session.contentSnippet;
    const status = item?.status ?? null;
    // An operator's save of a published item goes online at once: the editor does not save that by itself.
    const livesOnSave = !!item && status === 'published' && operator;
    const cover = uploadedCover
      ? { imageId: uploadedCover, cardUrl: contentImagePath(uploadedCover, 'card'), ogUrl: contentImagePath(uploadedCover, 'og'), pending: true }
      : version?.cover
        ? { ...version.cover, pending: false }
        : null;
    return {
      title: item ? 'content.editor.editTitle' : 'content.editor.newTitle',
      item: item ? { ...item, statusBadge: statusBadge(item.status) } : null,
      values,
      tagList: parseTags(values.tags),
      action: item ? `/content/${item.id}` : '/content',
      types: CONTENT_TYPES,
      visibilities: CONTENT_VISIBILITIES,
      languages: CONTENT_LANGUAGES,
      events,
      cover,
      coverFocus: { x: '', y: '' },
      preview: preview ? { html: new SafeHtml(preview.html), readingMinutes: preview.readingMinutes } : null,
      snippet: snippet ?? null,
      autosave: !livesOnSave,
      livesOnSave,
      onRevision: !!item && status === 'published' && !operator,
      canSubmit: !operator && (!item || (isAuthor && (status === 'draft' || status === 'returned' || status === 'unpublished' || status === 'published'))),
      canPublish: operator && (!item || item.can.publish || (isAuthor && (status === 'draft' || status === 'returned'))),
      limits: { title: TITLE_MAX, summary: SUMMARY_MAX, body: BODY_MAX, tags: TAGS_MAX },
      timeZone,
      scripts: [CONTENT_SCRIPT],
    };
  }

  /** The editor's fields, checked as the form route checks them (the JSON routes answer the problems as JSON). */
  private async editorForm(raw: unknown): Promise<ContentFormRequest> {
    return (await this.validation.transform(raw ?? {}, { type: 'body', metatype: ContentFormRequest, data: undefined })) as ContentFormRequest;
  }

  @Post(':id')
  @FormPage('/content/:id/edit')
  @Access('member')
  async save(@Param('id', ContentIdPipe) id: string, @Body() form: ContentFormRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (form.intent === 'publish' && !AccessPolicy.isOperator(req.user as Viewer)) throw new ForbiddenException();
    await this.commands.execute(new UpdateContentCommand(req.user as Viewer, id, inputOf(form)));
    await this.afterSave(req, res, id, form.intent ?? 'save');
  }

  /** After a save from the form: stay in the editor, or submit / publish what was saved and show the article. */
  private async afterSave(req: Request, res: Response, id: string, intent: 'save' | 'submit' | 'publish'): Promise<void> {
    const viewer = req.user as Viewer;
    if (intent === 'submit') {
      await this.commands.execute(new SubmitContentCommand(viewer, id));
      flash(req, 'success', 'content.flash.submitted');
      res.redirect(303, `/content/${id}`);
      return;
    }
    if (intent === 'publish') {
      await this.commands.execute(new PublishContentCommand(viewer, id, null));
      flash(req, 'success', 'content.flash.published');
      res.redirect(303, `/content/${id}`);
      return;
    }
    flash(req, 'success', 'content.flash.saved');
    res.redirect(303, `/content/${id}/edit`);
  }

  @Post(':id/autosave')
  @Access('member')
  async autosave(@Param('id', ContentIdPipe) id: string, @Body() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    try {
      const form = await this.editorForm(raw);
      const item = await this.queries.execute(new GetContentQuery(viewer, id, localeOf(req)));
      if (!item.can.edit) throw new ForbiddenException();
      // An operator's save of a published item would go online: that needs the button, never the timer.
      if (item.status === 'published' && AccessPolicy.isOperator(viewer)) {
        res.status(409).json({ message: messageCatalog().t(req.locale, 'content.editor.autosaveOff'), fields: {} });
        return;
      }
      const result = await this.commands.execute(new UpdateContentCommand(viewer, id, inputOf(form), { autosave: true }));
      res.status(200).json({ id, ...result, savedAt: new Date().toISOString() });
    } catch (e) {
      this.jsonError(req, res, e);
    }
  }

  @Post(':id/preview')
  @FormPage('/content/:id/edit')
  @Access('member')
  async preview(@Param('id', ContentIdPipe) id: string, @Body() raw: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const json = wantsJson(req);
    try {
      const form = await this.editorForm(raw);
      const item = await this.queries.execute(new GetContentQuery(viewer, id, localeOf(req)));
      if (!item.can.edit) throw new ForbiddenException();
      const editing = item.revision?.version ?? item.version;
      const rendered = await this.queries.execute(new PreviewContentQuery(viewer, form.body ?? editing.body, form.language ?? editing.language));
      if (json) {
        res.status(200).json(rendered);
        return;
      }
      // Without the script: the editor again, with what was typed and the preview under it (nothing is saved).
      sessionOf(req).contentPreview = { id, html: rendered.html, readingMinutes: rendered.readingMinutes };
      keepFormState(req, `/content/${id}/edit`, {}, []);
      res.redirect(303, `/content/${id}/edit#preview`);
    } catch (e) {
      if (!json) throw e;
      this.jsonError(req, res, e);
    }
  }

  @Post(':id/images')
  @FormPage('/content/:id/edit')
  @Access('member')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMAGE_BYTES, files: 1, fields: 10 } }))
  async upload(@Param('id', ContentIdPipe) id: string, @Body() body: ImageUploadRequest, @UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const json = wantsJson(req);
    try {
      await this.limits.consume('write:member', viewer.memberId);
      const focus = body.focusX !== undefined || body.focusY !== undefined ? { x: body.focusX ?? 0.5, y: body.focusY ?? 0.5 } : undefined;
      const purpose = body.purpose ?? 'body';
      const uploaded = await this.commands.execute(new UploadContentImageCommand(viewer, id, purpose, file?.buffer ?? Buffer.alloc(0), focus));
      if (json) {
        res.status(201).json({
          ...uploaded,
          purpose,
          ...(purpose === 'cover' ? { cardUrl: contentImagePath(uploaded.imageId, 'card'), ogUrl: contentImagePath(uploaded.imageId, 'og'), previewUrl: contentImagePath(uploaded.imageId, '960') } : {}),
        });
        return;
      }
      if (purpose === 'cover') {
        flash(req, 'info', 'content.flash.coverUploaded');
        res.redirect(303, `/content/${id}/edit?cover=${uploaded.imageId}#cover`);
        return;
      }
      sessionOf(req).contentSnippet = { id, markdown: uploaded.markdown };
      flash(req, 'info', 'content.flash.imageUploaded');
      res.redirect(303, `/content/${id}/edit#body-images`);
    } catch (e) {
      if (!json) throw e;
      this.jsonError(req, res, e);
    }
  }

  /** The editor's script gets problems as JSON: the field messages and the rest in the reader's language. */
  private jsonError(req: Request, res: Response, e: unknown): void {
    const mapped = this.errors.map(e);
    if (mapped.status >= 500 && !(e instanceof RequestValidationError)) {
      this.logger.error({ err: e, path: req.path }, 'content editor request failed');
    }
    const catalog = messageCatalog();
    const t = (m: { key: string; params?: Record<string, unknown> }) => catalog.t(req.locale, m.key, m.params);
    const fields = Object.fromEntries(Object.entries(mapped.fields).map(([name, list]) => [name, list.map(t)]));
    const general = mapped.general.map(t).join(' ');
    const fallback = mapped.status === 404 ? 'errors.notFound.message' : mapped.status === 403 ? 'errors.forbidden.message' : mapped.status === 429 ? 'errors.tooManyRequests.message' : mapped.status >= 500 ? 'errors.server.message' : 'errors.badRequest.message';
    const message = general || (Object.keys(fields).length ? catalog.t(req.locale, 'errors.badRequest.message') : mapped.pageMessage ? catalog.t(req.locale, mapped.pageMessage, mapped.pageParams) : catalog.t(req.locale, fallback));
    res.status(mapped.status).json({ message, fields });
  }

  // ---- Workflow ----

  @Post(':id/submit')
  @FormPage('/content/:id')
  @Access('member')
  async submit(@Param('id', ContentIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new SubmitContentCommand(req.user as Viewer, id));
    this.done(req, res, id, 'content.flash.submitted');
  }

  @Post(':id/withdraw')
  @FormPage('/content/:id')
  @Access('member')
  async withdraw(@Param('id', ContentIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new WithdrawContentCommand(req.user as Viewer, id));
    this.done(req, res, id, 'content.flash.withdrawn');
  }

  @Post(':id/publish')
  @FormPage('/content/:id')
  @Access('operator')
  async publish(@Param('id', ContentIdPipe) id: string, @Body() body: PublishRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    let at: Date | null = null;
    if (body.at) {
      at = fromLocalInput(body.at, zoneOf(res));
      if (!at) throw new RequestValidationError({ at: [{ key: 'validation.isDateString' }] });
    }
    const result = await this.commands.execute(new PublishContentCommand(req.user as Viewer, id, at));
    this.done(req, res, id, result.status === 'scheduled' ? 'content.flash.scheduled' : 'content.flash.published');
  }

  @Post(':id/return')
  @FormPage('/content/:id')
  @Access('operator')
  async returnToAuthor(@Param('id', ContentIdPipe) id: string, @Body() body: ReviewCommentRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ReturnContentCommand(req.user as Viewer, id, body.comment));
    this.done(req, res, id, 'content.flash.returned');
  }

  @Post(':id/decline')
  @FormPage('/content/:id')
  @Access('operator')
  async decline(@Param('id', ContentIdPipe) id: string, @Body() body: ReviewCommentRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DeclineContentCommand(req.user as Viewer, id, body.comment));
    this.done(req, res, id, 'content.flash.declined');
  }

  @Post(':id/unpublish')
  @FormPage('/content/:id')
  @Access('member')
  async unpublish(@Param('id', ContentIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new UnpublishContentCommand(req.user as Viewer, id));
    this.done(req, res, id, 'content.flash.unpublished');
  }

  @Post(':id/discard')
  @FormPage('/content/:id')
  @Access('member')
  async discard(@Param('id', ContentIdPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const item = await this.queries.execute(new GetContentQuery(viewer, id, localeOf(req)));
    await this.commands.execute(new DiscardContentCommand(viewer, id));
    if (item.status === 'published') {
      // Only the pending revision went; the published version stays.
      this.done(req, res, id, 'content.flash.revisionDiscarded');
      return;
    }
    flash(req, 'success', 'content.flash.discarded');
    res.redirect(303, item.author.memberId === viewer.memberId || !AccessPolicy.isOperator(viewer) ? '/content/mine' : '/admin/content');
  }

  @Post(':id/feature')
  @FormPage('/content/:id')
  @Access('operator')
  async feature(@Param('id', ContentIdPipe) id: string, @Body() body: FeatureRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new FeatureContentCommand(req.user as Viewer, id, body.featured === '1'));
    this.done(req, res, id, body.featured === '1' ? 'content.flash.featured' : 'content.flash.unfeatured');
  }

  private done(req: Request, res: Response, id: string, message: string): void {
    flash(req, 'success', message);
    res.redirect(303, `/content/${id}`);
  }

  // ---- Likes and comments ----

  @Post(':id/like')
  @FormPage('/content/:id')
  @Access('member')
  async like(@Param('id', ContentIdPipe) id: string, @Body() body: LikeRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.commands.execute(new LikeContentCommand(req.user as Viewer, id, body.on !== '0'));
    // The script sends Accept: application/json and updates the button in place; a plain form comes back to it.
    if (wantsJson(req)) {
      res.json(result);
      return;
    }
    res.redirect(303, `/content/${id}#like`);
  }

  @Post(':id/comments')
  @FormPage('/content/:id')
  @Access('member')
  async comment(@Param('id', ContentIdPipe) id: string, @Body() body: CommentRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    await this.limits.consume('write:member', viewer.memberId);
    const { commentId } = await this.commands.execute(new CommentOnContentCommand(viewer, id, body.body, body.parentId ?? null));
    flash(req, 'success', body.parentId ? 'content.flash.replied' : 'content.flash.commented');
    // The page that shows it: a reply under its comment, a new comment last.
    res.redirect(303, await this.commentUrl(req, commentId, id));
  }

  // ---- History ----

  @Get(':id/revisions')
  @Access('member')
  @Render('content/revisions')
  async revisions(@Param('id', ContentIdPipe) id: string, @Query() query: RevisionsRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    const locale = localeOf(req);
    const item = await this.queries.execute(new GetContentQuery(viewer, id, locale));
    const revisions = await this.queries.execute(new ListContentRevisionsQuery(viewer, id, locale));
    const shown = query.v ? revisions.find((r) => r.id === query.v) : undefined;
    const catalog = messageCatalog();
    if (query.v && !shown) throw new NotFoundException();
    return {
      title: 'content.revisions.title',
      item,
      revisions: revisions.map((r) => ({
        ...r,
        current: r.id === shown?.id,
        // The fields by their names on the form; a field the page has no name for is shown as the item calls it.
        changedLabels: r.changed.map((field) => (catalog.has('ja', `content.field.${field}`) ? catalog.t(locale, `content.field.${field}`) : field)),
      })),
      shown: shown ? { ...shown, body: new SafeHtml(shown.version.html) } : null,
    };
  }
}
