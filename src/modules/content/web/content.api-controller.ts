import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  type SchemaObject,
} from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import {
  CONTENT_LANGUAGES,
  CONTENT_STATUSES,
  CONTENT_TYPES,
  CONTENT_VISIBILITIES,
  CommentOnContentCommand,
  CreateContentCommand,
  DeclineContentCommand,
  GetContentQuery,
  RecordContentViewCommand,
  LikeContentCommand,
  ListContentCommentsQuery,
  ListContentQuery,
  ListContentRevisionsQuery,
  ListReviewQueueQuery,
  PublishContentCommand,
  REVISION_STATUSES,
  ReturnContentCommand,
  SubmitContentCommand,
  UnpublishContentCommand,
  UpdateContentCommand,
  WithdrawContentCommand,
  type ContentCardView,
  type ContentInput,
  type ContentItemView,
  type ContentVersionView,
} from '../contracts';
import { ContentFieldError } from '../domain/content.errors';
import {
  ApiCommentRequest,
  ApiContentListRequest,
  ApiCreateContentRequest,
  ApiContentPageRequest,
  ApiPublishRequest,
  ApiReviewCommentRequest,
  ApiUpdateContentRequest,
  ContentIdPipe,
} from './content-api.request';
import { localeOf, viewerOf } from '@libs/web/request-context';
import { API_ERROR_SCHEMA, SignedInResponses, UUID_SCHEMA } from '@libs/web/api-docs';

const pageOf = (contentId: string) => `/content/${contentId}`;

// ---- The JSON the API answers: Content's views, with the page address of each item (`url`) ----

const versionJson = (v: ContentVersionView) => ({
  type: v.type,
  title: v.title,
  summary: v.summary,
  body: v.body,
  html: v.html,
  tags: v.tags,
  visibility: v.visibility,
  language: v.language,
  eventId: v.eventId,
  cover: v.cover,
});

const cardJson = (c: ContentCardView) => ({ ...c, url: pageOf(c.id) });

/**
 * One item as the caller may see it. The Markdown source (`body`), the pending revision and the operator's last
 * comment are for the author and operators; readers get the sanitised `html` only.
 */
function itemJson(item: ContentItemView, viewer: Viewer | null) {
  const insider = !!viewer && (AccessPolicy.isOperator(viewer) || (item.author.memberId !== null && item.author.memberId === viewer.memberId));
  const v = item.version;
  return {
    id: item.id,
    type: v.type,
    title: v.title,
    summary: v.summary,
    html: v.html,
    body: insider ? v.body : null,
    tags: v.tags,
    visibility: v.visibility,
    language: v.language,
    status: item.status,
    revisionStatus: item.revision?.status ?? null,
    likes: item.likes,
    liked: item.liked,
    comments: item.comments,
    views: item.views,
    readingMinutes: item.readingMinutes,
    featured: item.featured,
    url: pageOf(item.id),
    canonicalUrl: item.canonicalUrl,
    author: item.author,
    cover: v.cover,
    eventId: v.eventId,
    event: item.event,
    publishedAt: item.publishedAt,
    scheduledAt: item.scheduledAt,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    reviewComment: insider ? item.reviewComment : null,
    revision:
      insider && item.revision
        ? { status: item.revision.status, ...versionJson(item.revision.version), reviewComment: item.revision.reviewComment, updatedAt: item.revision.updatedAt }
        : null,
    can: item.can,
  };
}

/** The editor's fields as Content's input: what was not sent stays undefined (a PATCH leaves it alone). */
function inputOf(body: ApiUpdateContentRequest): Partial<ContentInput> {
  const input: Partial<ContentInput> = {};
  if (body.type !== undefined) input.type = body.type;
  if (body.title !== undefined) input.title = body.title;
  if (body.summary !== undefined) input.summary = body.summary;
  if (body.body !== undefined) input.body = body.body;
  if (body.tags !== undefined) input.tags = body.tags;
  if (body.visibility !== undefined) input.visibility = body.visibility;
  if (body.language !== undefined) input.language = body.language;
  if (body.eventId !== undefined) input.eventId = body.eventId;
  if (body.coverImageId !== undefined) input.coverImageId = body.coverImageId;
  if (body.coverAlt !== undefined) input.coverAlt = body.coverAlt;
  return input;
}

// ---- OpenAPI schemas of those answers ----

const uuid = UUID_SCHEMA;
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const page: Record<string, SchemaObject> = { total: { type: 'integer' }, page: { type: 'integer', minimum: 1 }, pages: { type: 'integer', minimum: 1 } };
const AUTHOR: SchemaObject = {
  type: 'object',
  description: 'memberId is null and deleted true for a deleted account (退会したメンバー / Deleted member)',
  properties: {
    memberId: { ...uuid, nullable: true },
    displayName: { type: 'string' },
    deleted: { type: 'boolean' },
    card: {
      type: 'object',
      nullable: true,
      description: "The author's card as the caller may see it (the author's profile privacy holds); null for visitors",
      properties: {
        photoId: { type: 'string', nullable: true },
        lastDepartment: { type: 'string', nullable: true },
        lastPosition: { type: 'string', nullable: true },
        status: { type: 'string' },
        profileUrl: { type: 'string' },
      },
    },
  },
};
const COVER: SchemaObject = {
  type: 'object',
  nullable: true,
  properties: {
    imageId: { type: 'string' },
    cardUrl: { type: 'string', description: '640×360' },
    ogUrl: { type: 'string', description: '1200×630' },
    fullUrl: { type: 'string' },
    alt: { type: 'string' },
  },
};
const TYPE: SchemaObject = { type: 'string', enum: [...CONTENT_TYPES] };
const VISIBILITY: SchemaObject = { type: 'string', enum: [...CONTENT_VISIBILITIES] };
const LANGUAGE: SchemaObject = { type: 'string', enum: [...CONTENT_LANGUAGES] };
const STATUS: SchemaObject = { type: 'string', enum: [...CONTENT_STATUSES] };
const CARD: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    type: TYPE,
    title: { type: 'string' },
    summary: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    visibility: VISIBILITY,
    language: LANGUAGE,
    status: STATUS,
    author: AUTHOR,
    cover: COVER,
    publishedAt: { ...dateTime, nullable: true },
    readingMinutes: { type: 'integer' },
    likes: { type: 'integer' },
    comments: { type: 'integer' },
    views: { type: 'integer' },
    featured: { type: 'boolean' },
    url: { type: 'string', example: '/content/00000000-0000-4000-8000-000000000000' },
  },
};
const VERSION: Record<string, SchemaObject> = {
  type: TYPE,
  title: { type: 'string' },
  summary: { type: 'string' },
  body: { type: 'string', description: 'Markdown' },
  html: { type: 'string', description: 'Sanitised HTML, exactly as the article page shows it' },
  tags: { type: 'array', items: { type: 'string' } },
  visibility: VISIBILITY,
  language: LANGUAGE,
  eventId: { ...uuid, nullable: true },
  cover: COVER,
};
const CAN: SchemaObject = {
  type: 'object',
  description: 'What the caller may do now (the server checks again on every request)',
  properties: Object.fromEntries(['edit', 'submit', 'withdraw', 'publish', 'return', 'decline', 'unpublish', 'feature', 'discard', 'like', 'comment'].map((k) => [k, { type: 'boolean' }])),
};
const ITEM: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    type: TYPE,
    title: { type: 'string', description: 'Of the version readers see (the published one; a draft’s own while not online)' },
    summary: { type: 'string' },
    html: { type: 'string', description: 'Sanitised HTML of the Markdown body' },
    body: { type: 'string', nullable: true, description: 'The Markdown source, for its author and operators (null for others)' },
    tags: { type: 'array', items: { type: 'string' } },
    visibility: VISIBILITY,
    language: LANGUAGE,
    status: STATUS,
    revisionStatus: { type: 'string', enum: [...REVISION_STATUSES], nullable: true, description: 'A pending revision of a published item (the published version stays online until an operator publishes it)' },
    likes: { type: 'integer' },
    liked: { type: 'boolean', description: 'The caller likes it' },
    comments: { type: 'integer' },
    views: { type: 'integer', description: 'One per reader and day' },
    readingMinutes: { type: 'integer' },
    featured: { type: 'boolean' },
    url: { type: 'string', example: '/content/00000000-0000-4000-8000-000000000000' },
    canonicalUrl: { type: 'string', format: 'uri' },
    author: AUTHOR,
    cover: COVER,
    eventId: { ...uuid, nullable: true },
    event: { type: 'object', nullable: true, properties: { eventId: uuid, title: { type: 'string' }, startsAt: dateTime, url: { type: 'string' } } },
    publishedAt: { ...dateTime, nullable: true },
    scheduledAt: { ...dateTime, nullable: true, description: 'When a scheduled item goes online' },
    createdAt: dateTime,
    updatedAt: dateTime,
    reviewComment: { type: 'string', nullable: true, description: "The operator's last comment (returned, declined); author and operators only" },
    revision: {
      type: 'object',
      nullable: true,
      description: 'The pending revision (author and operators only)',
      properties: { status: { type: 'string', enum: [...REVISION_STATUSES] }, ...VERSION, reviewComment: { type: 'string', nullable: true }, updatedAt: dateTime },
    },
    can: CAN,
  },
};
const LIST: SchemaObject = { type: 'object', properties: { items: { type: 'array', items: CARD }, ...page, words: { type: 'array', items: { type: 'string' }, description: 'The folded search words, for highlighting' } } };
const COMMENT_BASE: Record<string, SchemaObject> = {
  id: uuid,
  parentId: { ...uuid, nullable: true },
  author: { type: 'object', properties: { memberId: { ...uuid, nullable: true }, displayName: { type: 'string' }, deleted: { type: 'boolean' } } },
  html: { type: 'string', description: 'Sanitised HTML; empty when deleted or hidden' },
  createdAt: dateTime,
  deleted: { type: 'boolean' },
  hidden: { type: 'boolean' },
  canDelete: { type: 'boolean' },
  canReport: { type: 'boolean' },
  canReply: { type: 'boolean' },
};
const COMMENT: SchemaObject = { type: 'object', properties: { ...COMMENT_BASE, replies: { type: 'array', items: { type: 'object', properties: COMMENT_BASE } } } };
const LIKES: SchemaObject = { type: 'object', properties: { likes: { type: 'integer' }, liked: { type: 'boolean' } } };
const ERROR = API_ERROR_SCHEMA;

/** The answers of a route that needs an approved member's session. */
const MemberOnly = () => SignedInResponses('Not an approved member (an application still under review), not the author, or a missing X-CSRF-Token on a write');
const OperatorOnly = () => SignedInResponses('Operators only (members are refused, whatever the item), or a missing X-CSRF-Token');
const NotFound = () => ApiNotFoundResponse({ description: 'No such item — or one the caller may not see (the same answer); an id that is not an id', schema: ERROR });
const Transition = () => ApiConflictResponse({ description: "The item's state does not allow it (e.g. submitting what is already submitted, returning a draft)", schema: ERROR });
const IdParam = () => ApiParam({ name: 'id', schema: uuid });

/**
 * Content for API clients: the same rules as the pages. Every change goes through Content's commands, which ask the
 * workflow (domain/content-workflow.ts) whether this caller may do it in the item's state — a member cannot publish,
 * return or edit someone else's item through the API any more than through the pages. An item the caller may not
 * see is a 404. The session cookie, and the session's CSRF token as `X-CSRF-Token` on every write; errors are JSON
 * with message keys and the text in the caller's language.
 */
@ApiTags('content')
@ApiCookieAuth()
@ApiBadRequestResponse({ description: 'Invalid input: wrong types, unknown values or fields, text Content refuses (with the field named)', schema: ERROR })
@Controller('api/v1/content')
export class ContentApiController {
  private readonly logger = new Logger(ContentApiController.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
  ) {}

  private async item(req: Request, contentId: string) {
    const viewer = viewerOf(req);
    return itemJson(await this.queries.execute(new GetContentQuery(viewer, contentId, localeOf(req))), viewer);
  }

  @Get()
  @Access('public')
  @ApiOperation({
    summary: 'Published items the caller may see, newest first, 12 a page; by type, tag, words and publication date',
    description: 'Visitors see public items only; an employees-only item is not listed (nor found by words) for alumni, and the other way round.',
  })
  @ApiOkResponse({ schema: LIST })
  async list(@Query() query: ApiContentListRequest, @Req() req: Request) {
    const list = await this.queries.execute(
      new ListContentQuery(viewerOf(req), { type: query.type, tag: query.tag, q: query.q, from: query.from, to: query.to }, query.page ?? 1, localeOf(req)),
    );
    return { items: list.items.map(cardJson), total: list.total, page: list.page, pages: list.pages, words: list.words };
  }

  @Get('review')
  @Access('operator')
  @ApiOperation({ summary: 'Operators: items and revisions waiting for review (oldest first), then scheduled items' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        waiting: { type: 'array', items: CARD },
        revisions: { type: 'array', items: CARD, description: 'Published items with a submitted revision' },
        scheduled: { type: 'array', items: { ...CARD, properties: { ...CARD.properties, scheduledAt: dateTime } } },
      },
    },
  })
  @OperatorOnly()
  async review(@Req() req: Request) {
    const queue = await this.queries.execute(new ListReviewQueueQuery(req.user as Viewer, localeOf(req)));
    return { waiting: queue.waiting.map(cardJson), revisions: queue.revisions.map(cardJson), scheduled: queue.scheduled.map(cardJson) };
  }

  @Post()
  @Access('member')
  @ApiOperation({ summary: 'Writes a new draft (any approved member)', description: 'Nothing is online until an operator publishes it. At most 120 writes a minute per member.' })
  @ApiCreatedResponse({ description: 'The new draft', schema: ITEM })
  @MemberOnly()
  @ApiTooManyRequestsResponse({ description: 'Too many writes in the last minute', schema: ERROR })
  async create(@Body() body: ApiCreateContentRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('write:member', viewer.memberId);
    const input: ContentInput = {
      type: body.type,
      title: body.title,
      summary: body.summary ?? '',
      body: body.body,
      tags: body.tags ?? [],
      visibility: body.visibility ?? 'members',
      language: body.language ?? 'ja',
      eventId: body.eventId ?? null,
      coverImageId: body.coverImageId ?? undefined,
      coverAlt: body.coverAlt,
    };
    const { contentId } = await this.commands.execute(new CreateContentCommand(viewer, input));
    return this.item(req, contentId);
  }

  @Get(':id')
  @Access('public')
  @ApiOperation({
    summary: 'One item: published items for those who may see them; drafts and items under review for their author and operators',
    description: 'A pending revision of a published item is under `revision` for its author and operators; everyone else reads the published version.',
  })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @NotFound()
  async get(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    const viewer = viewerOf(req);
    const item = await this.queries.execute(new GetContentQuery(viewer, id, localeOf(req)));
    // A member reading a published item through the API is a reader as on its page (counted once a day, off the
    // request path); callers without an account are not counted here.
    if (viewer && item.status === 'published') {
      this.commands.execute(new RecordContentViewCommand(id, viewer.memberId)).catch((e: unknown) => this.logger.warn(`view of ${id} not recorded: ${(e as Error).message}`));
    }
    return itemJson(item, viewer);
  }

  @Patch(':id')
  @Access('member')
  @ApiOperation({
    summary: 'Edits an item (the fields sent; the others stay)',
    description:
      'The author edits their draft, a returned or submitted item; an edit of a published item by its author is a revision that goes through review while the published version stays online. Operators may edit any item (their edit of a published item is online at once). Every save is kept in the history.',
  })
  @IdParam()
  @ApiOkResponse({ description: 'The item after the edit', schema: ITEM })
  @MemberOnly()
  @NotFound()
  @Transition()
  async update(@Param('id', ContentIdPipe) id: string, @Body() body: ApiUpdateContentRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('write:member', viewer.memberId);
    await this.commands.execute(new UpdateContentCommand(viewer, id, inputOf(body)));
    return this.item(req, id);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Access('member')
  @ApiOperation({ summary: 'The author submits the item (or the pending revision of a published item) for review' })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @MemberOnly()
  @NotFound()
  @Transition()
  async submit(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    await this.commands.execute(new SubmitContentCommand(req.user as Viewer, id));
    return this.item(req, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Access('member')
  @ApiOperation({ summary: 'The author takes a submission (or a submitted revision) back to draft' })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @MemberOnly()
  @NotFound()
  @Transition()
  async withdraw(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    await this.commands.execute(new WithdrawContentCommand(req.user as Viewer, id));
    return this.item(req, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({
    summary: 'Operators: publishes now, or at `at` (a scheduled publication; another `at` moves it)',
    description: 'What was submitted, a submitted revision of a published item, or an operator’s own draft. The author is told.',
  })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @OperatorOnly()
  @NotFound()
  @Transition()
  async publish(@Param('id', ContentIdPipe) id: string, @Body() body: ApiPublishRequest, @Req() req: Request) {
    const at = body.at ? new Date(body.at) : null;
    if (at && at.getTime() <= Date.now()) throw new ContentFieldError('at', 'atInPast');
    await this.commands.execute(new PublishContentCommand(req.user as Viewer, id, at));
    return this.item(req, id);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Operators: back to the author with a comment (the author is told, revises and submits again)' })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @OperatorOnly()
  @NotFound()
  @Transition()
  async returnToAuthor(@Param('id', ContentIdPipe) id: string, @Body() body: ApiReviewCommentRequest, @Req() req: Request) {
    await this.commands.execute(new ReturnContentCommand(req.user as Viewer, id, body.comment));
    return this.item(req, id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Operators: declines the item or the submitted revision (the author is told; a published version stays online)' })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @OperatorOnly()
  @NotFound()
  @Transition()
  async decline(@Param('id', ContentIdPipe) id: string, @Body() body: ApiReviewCommentRequest, @Req() req: Request) {
    await this.commands.execute(new DeclineContentCommand(req.user as Viewer, id, body.comment));
    return this.item(req, id);
  }

  @Post(':id/unpublish')
  @HttpCode(200)
  @Access('member')
  @ApiOperation({ summary: 'Takes a published or scheduled item offline (operators; the author for their own item)' })
  @IdParam()
  @ApiOkResponse({ schema: ITEM })
  @MemberOnly()
  @NotFound()
  @Transition()
  async unpublish(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    await this.commands.execute(new UnpublishContentCommand(req.user as Viewer, id));
    return this.item(req, id);
  }

  @Post(':id/likes')
  @Access('member')
  @ApiOperation({ summary: 'Likes a published item (once per member; liking again changes nothing)' })
  @IdParam()
  @ApiCreatedResponse({ schema: LIKES })
  @MemberOnly()
  @NotFound()
  async like(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    return this.commands.execute(new LikeContentCommand(req.user as Viewer, id, true));
  }

  @Delete(':id/likes')
  @Access('member')
  @ApiOperation({ summary: "Takes one's like back" })
  @IdParam()
  @ApiOkResponse({ schema: LIKES })
  @MemberOnly()
  @NotFound()
  async unlike(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    return this.commands.execute(new LikeContentCommand(req.user as Viewer, id, false));
  }

  @Get(':id/comments')
  @Access('public')
  @ApiOperation({ summary: "A page of an item's comments (50 top-level comments, oldest first), each with its replies" })
  @IdParam()
  @ApiOkResponse({ schema: { type: 'object', properties: { items: { type: 'array', items: COMMENT }, ...page } } })
  @NotFound()
  async comments(@Param('id', ContentIdPipe) id: string, @Query() query: ApiContentPageRequest, @Req() req: Request) {
    const list = await this.queries.execute(new ListContentCommentsQuery(viewerOf(req), id, query.page ?? 1, localeOf(req)));
    return { items: list.items, total: list.total, page: list.page, pages: list.pages };
  }

  @Post(':id/comments')
  @Access('member')
  @ApiOperation({
    summary: 'Comments on a published item (Markdown), or replies to a top-level comment with `parentId`',
    description: 'One level of replies: a reply to a reply is refused. The author of the item (and of the comment replied to) is told. At most 120 writes a minute per member.',
  })
  @IdParam()
  @ApiCreatedResponse({ schema: { type: 'object', properties: { id: uuid, commentId: uuid, parentId: { ...uuid, nullable: true }, url: { type: 'string' } } } })
  @MemberOnly()
  @NotFound()
  @ApiTooManyRequestsResponse({ description: 'Too many writes in the last minute', schema: ERROR })
  async comment(@Param('id', ContentIdPipe) id: string, @Body() body: ApiCommentRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    await this.limits.consume('write:member', viewer.memberId);
    const { commentId } = await this.commands.execute(new CommentOnContentCommand(viewer, id, body.body, body.parentId ?? null));
    return { id: commentId, commentId, parentId: body.parentId ?? null, url: pageOf(id) };
  }

  @Get(':id/revisions')
  @Access('member')
  @ApiOperation({ summary: 'Every revision of an item, newest first, with who changed which fields (author and operators)' })
  @IdParam()
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: uuid,
              action: { type: 'string' },
              byName: { type: 'string' },
              at: dateTime,
              changed: { type: 'array', items: { type: 'string' } },
              comment: { type: 'string', nullable: true },
              version: { type: 'object', properties: VERSION },
            },
          },
        },
      },
    },
  })
  @MemberOnly()
  @NotFound()
  async revisions(@Param('id', ContentIdPipe) id: string, @Req() req: Request) {
    return { items: await this.queries.execute(new ListContentRevisionsQuery(req.user as Viewer, id, localeOf(req))) };
  }
}
