import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
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
import type { Request, Response } from 'express';
import { DomainError } from '@libs/ddd';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import {
  ArchiveChannelCommand,
  BlockMemberCommand,
  CHANNEL_AUDIENCES,
  CONVERSATION_KINDS,
  CreateChannelCommand,
  CreateGroupCommand,
  DecideJoinRequestCommand,
  DeleteMessageCommand,
  DM_POLICIES,
  EditMessageCommand,
  GetChatSettingsQuery,
  GetChatUnreadTotalQuery,
  GetConversationQuery,
  GROUP_ROLES,
  HideMessageCommand,
  InviteToGroupCommand,
  JoinChannelCommand,
  LeaveConversationCommand,
  ListChannelsQuery,
  ListConversationsQuery,
  ListGroupsQuery,
  ListMessagesQuery,
  MarkConversationReadCommand,
  MESSAGES_PAGE_SIZE,
  OpenDirectConversationCommand,
  RemoveGroupMemberCommand,
  ReportMessageCommand,
  RequestToJoinGroupCommand,
  RespondToGroupInvitationCommand,
  SearchConversationQuery,
  SendMessageCommand,
  SetDmPolicyCommand,
  TransferGroupOwnershipCommand,
  UpdateChannelCommand,
  UpdateGroupCommand,
  type ConversationSummaryView,
  type ConversationView,
  type MessageView,
} from '../contracts';
import {
  ApiArchiveRequest,
  ApiChannelRequest,
  ApiChannelsRequest,
  ApiConversationParams,
  ApiDirectRequest,
  ApiEditMessageRequest,
  ApiGroupMemberParams,
  ApiGroupRequest,
  ApiGroupsRequest,
  ApiHideRequest,
  ApiJoinRequest,
  ApiMemberParams,
  ApiMemberRequest,
  ApiMessagesRequest,
  ApiChatReadRequest,
  ApiChatReportRequest,
  ApiChatSearchRequest,
  ApiSendMessageRequest,
  ApiSettingsRequest,
} from './chat-api.request';
import { localeOf, memberOf } from '@libs/web/request-context';
import { API_ERROR_SCHEMA, SignedInResponses, UUID_SCHEMA } from '@libs/web/api-docs';


// ---- The JSON the API answers: chat's views, with page and image addresses ----

/** Where a chat image is served (with the conversation's access), at the widths libs/images keeps. */
const imageUrl = (id: string, width: 320 | 960) => `/chat/images/${id}/${width}`;

const messageJson = (m: MessageView, viewer: Viewer) => ({
  ...m,
  mine: m.author.memberId === viewer.memberId,
  images: m.images.map((i) => ({ ...i, url: imageUrl(i.id, 960), thumbnailUrl: imageUrl(i.id, 320) })),
  /** The page of history that ends with this message, at the message. */
  url: `/chat/c/${m.conversationId}?before=${m.seq + 1}#m${m.seq}`,
});
/** One conversation with everything its page shows: the summary's fields, then members, rights and requests. */
const conversationJson = (v: ConversationView) => {
  const { conversation, ...details } = v;
  return { ...conversation, ...details };
};
const summaryJson = (s: ConversationSummaryView) => s;

// ---- OpenAPI schemas of those answers ----

const uuid = UUID_SCHEMA;
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const seq: SchemaObject = { type: 'integer', minimum: 0, description: "A message's number in its conversation: 1, 2, 3, … without gaps" };
const MEMBER: SchemaObject = {
  type: 'object',
  description: 'memberId is null and deleted true for a deleted account (退会したメンバー / Deleted member)',
  properties: { memberId: { ...uuid, nullable: true }, displayName: { type: 'string' }, deleted: { type: 'boolean' } },
};
const SUMMARY: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    kind: { type: 'string', enum: [...CONVERSATION_KINDS] },
    title: { type: 'string', description: "A channel's name in the caller's language, a group's name, or the other member's name (DMs)" },
    description: { type: 'string' },
    other: { ...MEMBER, nullable: true, description: 'DMs: the other member' },
    audience: { type: 'string', enum: [...CHANNEL_AUDIENCES], nullable: true, description: 'Channels: who may read and join' },
    listed: { type: 'boolean', description: 'Groups: findable in the group list (false: secret)' },
    archived: { type: 'boolean' },
    memberCount: { type: 'integer' },
    joined: { type: 'boolean' },
    role: { type: 'string', enum: [...GROUP_ROLES], nullable: true },
    lastSeq: seq,
    lastReadSeq: { ...seq, description: "The caller's read position" },
    unread: { type: 'integer', description: 'Messages after lastReadSeq written by others and not deleted (0 when not joined)' },
    lastMessage: {
      type: 'object',
      nullable: true,
      properties: { seq, authorName: { type: 'string' }, text: { type: 'string', description: 'Plain text, shortened' }, at: dateTime },
    },
    lastMessageAt: { ...dateTime, nullable: true },
    url: { type: 'string', example: '/chat/c/00000000-0000-4000-8000-000000000000' },
  },
};
const CONVERSATION: SchemaObject = {
  type: 'object',
  description: "The conversation's summary fields, then what its page shows",
  properties: {
    ...SUMMARY.properties,
    nameJa: { type: 'string', description: 'Channels: the names and descriptions in both languages (empty otherwise)' },
    nameEn: { type: 'string' },
    descriptionJa: { type: 'string' },
    descriptionEn: { type: 'string' },
    members: { type: 'array', description: 'Groups (owner first) and DMs; empty for channels', items: { ...MEMBER, properties: { ...MEMBER.properties, role: { type: 'string', enum: [...GROUP_ROLES] } } } },
    requests: {
      type: 'array',
      description: "Groups, for the owner: pending join requests ('join') and invitations ('invite')",
      items: { type: 'object', properties: { member: MEMBER, kind: { type: 'string', enum: ['invite', 'join'] }, message: { type: 'string' }, createdAt: dateTime } },
    },
    invitedByOwner: { type: 'boolean', description: 'The caller has a pending invitation to this group' },
    requestPending: { type: 'boolean', description: "The caller's own join request waits for the owner" },
    canRead: { type: 'boolean' },
    canPost: { type: 'boolean' },
    canJoin: { type: 'boolean' },
    canLeave: { type: 'boolean' },
    canManage: { type: 'boolean', description: 'Group owner (invite, approve, remove, hand over, rename); operators for channels' },
    canModerate: { type: 'boolean', description: 'Operators in channels: hide messages' },
    otherLastReadSeq: { ...seq, nullable: true, description: "DMs: the other member's read position (既読 up to it)" },
    dmClosed: { type: 'boolean', description: 'DMs: the caller cannot write (blocked either way, or the other member does not take messages)' },
    blockedByViewer: { type: 'boolean' },
  },
};
const MESSAGE: SchemaObject = {
  type: 'object',
  properties: {
    id: uuid,
    conversationId: uuid,
    seq,
    clientId: { type: 'string', nullable: true, description: 'The id the sending client gave it' },
    author: MEMBER,
    mine: { type: 'boolean', description: 'Written by the caller' },
    html: { type: 'string', description: 'Sanitised HTML (links, @mentions, line breaks); empty when deleted or hidden' },
    body: { type: 'string', nullable: true, description: 'The text as typed: for its author (to edit it) and operators' },
    createdAt: dateTime,
    editedAt: { ...dateTime, nullable: true },
    deleted: { type: 'boolean', description: 'Deleted by its author: it keeps its place (削除されました)' },
    hidden: { type: 'boolean', description: 'Hidden by an operator or by reports' },
    images: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, width: { type: 'integer' }, height: { type: 'integer' }, url: { type: 'string' }, thumbnailUrl: { type: 'string' } } },
    },
    mentions: { type: 'array', items: uuid, description: 'Members mentioned' },
    url: { type: 'string', example: '/chat/c/00000000-0000-4000-8000-000000000000?before=13#m12' },
  },
};
const MESSAGE_PAGE: SchemaObject = {
  type: 'object',
  properties: {
    items: { type: 'array', items: MESSAGE, description: 'Ascending seq' },
    more: { type: 'boolean', description: '`before=` (or the latest): older messages exist; `after=`: more than 500 followed (ask again from the last seq)' },
    lastSeq: { ...seq, description: "The conversation's last seq when read" },
  },
};
const ERROR = API_ERROR_SCHEMA;

/** Every chat route needs an approved member's session. */
const MemberOnly = () => SignedInResponses('Not an approved member, not allowed to do this here (not the owner, not the author, a DM the other member does not take), or a missing X-CSRF-Token on a write');
const NotFound = () => ApiNotFoundResponse({ description: 'No such conversation, message or member — or one the caller may not know of', schema: ERROR });
const Conflict = (description: string) => ApiConflictResponse({ description, schema: ERROR });

/**
 * Chat for API clients: channels, direct messages and group chats, with the same rules as the pages and the socket
 * (a conversation the caller may not read is a 404). The session cookie, and the session's CSRF token as
 * `X-CSRF-Token` on every write. Live delivery is the socket's (/socket.io); a client that was away replays with
 * `GET …/messages?after=SEQ`. Errors are JSON with message keys and the text in the caller's language.
 */
@ApiTags('chat')
@ApiCookieAuth()
@ApiBadRequestResponse({ description: 'Invalid input: malformed ids and numbers, wrong types, unknown fields, text chat refuses (the field and its message)', schema: ERROR })
@MemberOnly()
@Controller('api/v1/chat')
export class ChatApiController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
  ) {}

  private async conversation(req: Request, id: string) {
    return conversationJson(await this.queries.execute(new GetConversationQuery(memberOf(req), id, localeOf(req))));
  }

  // ---- Conversations ----

  @Get('conversations')
  @Access('member')
  @ApiOperation({ summary: "The caller's conversations (joined channels, groups, DMs), latest activity first, with unread counts" })
  @ApiOkResponse({ schema: { type: 'object', properties: { items: { type: 'array', items: SUMMARY }, totalUnread: { type: 'integer', description: 'Sum of `unread`' } } } })
  async conversations(@Req() req: Request) {
    const list = await this.queries.execute(new ListConversationsQuery(memberOf(req), localeOf(req)));
    return { items: list.items.map(summaryJson), totalUnread: list.totalUnread };
  }

  @Get('unread')
  @Access('member')
  @ApiOperation({ summary: "Unread messages over the caller's conversations (the header badge)" })
  @ApiOkResponse({ schema: { type: 'object', properties: { totalUnread: { type: 'integer' } } } })
  async unread(@Req() req: Request) {
    return { totalUnread: await this.queries.execute(new GetChatUnreadTotalQuery(memberOf(req))) };
  }

  @Get('conversations/:id')
  @Access('member')
  @ApiOperation({ summary: 'One conversation: its summary, members, pending requests (owner), and what the caller may do in it' })
  @ApiOkResponse({ schema: CONVERSATION })
  @NotFound()
  async get(@Param() params: ApiConversationParams, @Req() req: Request) {
    return this.conversation(req, params.id);
  }

  @Get('conversations/:id/messages')
  @Access('member')
  @ApiOperation({
    summary: 'Messages, ascending: `after=SEQ` replays what followed (up to 500), `before=SEQ` pages back through history (50 unless `limit`), neither: the latest',
  })
  @ApiOkResponse({ schema: MESSAGE_PAGE })
  @NotFound()
  async messages(@Param() params: ApiConversationParams, @Query() query: ApiMessagesRequest, @Req() req: Request) {
    if (query.after !== undefined && query.before !== undefined) throw new DomainError('errors.badRequest.message', { field: 'before' });
    const viewer = memberOf(req);
    const page = await this.queries.execute(
      new ListMessagesQuery(viewer, params.id, { after: query.after, before: query.before, limit: query.limit ?? (query.after === undefined ? MESSAGES_PAGE_SIZE : undefined) }),
    );
    return { items: page.items.map((m) => messageJson(m, viewer)), more: page.more, lastSeq: page.lastSeq };
  }

  @Post('conversations/:id/messages')
  @Access('member')
  @ApiOperation({
    summary: 'Sends a message: committed with the next seq, then sent to connected sockets',
    description: 'A resend with the same clientId (after a timeout, a reconnect) answers the message sent the first time, with 200, and never makes a second one. At most 30 messages in 10 seconds per member.',
  })
  @ApiCreatedResponse({ description: 'Sent', schema: MESSAGE })
  @ApiOkResponse({ description: 'Sent before with this clientId: the same message', schema: MESSAGE })
  @NotFound()
  @Conflict('The channel is archived')
  @ApiTooManyRequestsResponse({ description: 'Too many messages in the last 10 seconds', schema: ERROR })
  async send(@Param() params: ApiConversationParams, @Body() body: ApiSendMessageRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = memberOf(req);
    await this.limits.consume('chat:message', viewer.memberId);
    const sent = await this.commands.execute(new SendMessageCommand(viewer, params.id, { clientId: body.clientId, body: body.body }));
    res.status(sent.created ? 201 : 200);
    return messageJson(sent.message, viewer);
  }

  @Post('conversations/:id/read')
  @HttpCode(200)
  @Access('member')
  @ApiOperation({
    summary: 'The caller has read up to `seq`: it only moves forward and never past the last seq',
    description: 'Send the highest seq up to which the client holds every message (never across a gap it has not fetched).',
  })
  @ApiOkResponse({ schema: { type: 'object', properties: { lastReadSeq: { ...seq, description: 'The read position now (clamped)' } } } })
  @NotFound()
  async read(@Param() params: ApiConversationParams, @Body() body: ApiChatReadRequest, @Req() req: Request) {
    const marked = await this.commands.execute(new MarkConversationReadCommand(memberOf(req), params.id, body.seq));
    return { lastReadSeq: marked.lastReadSeq };
  }

  @Get('conversations/:id/search')
  @Access('member')
  @ApiOperation({ summary: 'Japanese-aware search inside one conversation (words of 2+ characters), newest first, at most 50' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { ...MESSAGE, properties: { ...MESSAGE.properties, snippet: { type: 'string', description: 'Plain text around the first match' } } } },
        words: { type: 'array', items: { type: 'string' }, description: 'The folded words searched for, for highlighting' },
        total: { type: 'integer' },
        more: { type: 'boolean' },
      },
    },
  })
  @NotFound()
  async search(@Param() params: ApiConversationParams, @Query() query: ApiChatSearchRequest, @Req() req: Request) {
    const viewer = memberOf(req);
    const found = await this.queries.execute(new SearchConversationQuery(viewer, params.id, query.q));
    return { ...found, items: found.items.map((m) => ({ ...messageJson(m, viewer), snippet: m.snippet })) };
  }

  // ---- Direct messages ----

  @Post('dms')
  @Access('member')
  @ApiOperation({
    summary: 'The DM with a member: the same conversation every time (201 when this created it, 200 when it existed)',
    description: "Refused (403) when the member does not take messages from the caller (their setting, a block either way); an existing DM stays readable. A member the caller may not know of is a 404.",
  })
  @ApiCreatedResponse({ description: 'Created', schema: CONVERSATION })
  @ApiOkResponse({ description: 'It existed', schema: CONVERSATION })
  @NotFound()
  async openDirect(@Body() body: ApiDirectRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const opened = await this.commands.execute(new OpenDirectConversationCommand(memberOf(req), body.memberId));
    res.status(opened.created ? 201 : 200);
    return this.conversation(req, opened.conversationId);
  }

  @Put('blocks/:memberId')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Blocks a member: no direct messages either way; they are not told' })
  @ApiNoContentResponse()
  @NotFound()
  async block(@Param() params: ApiMemberParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new BlockMemberCommand(memberOf(req), params.memberId, true));
  }

  @Delete('blocks/:memberId')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Unblocks a member' })
  @ApiNoContentResponse()
  @NotFound()
  async unblock(@Param() params: ApiMemberParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new BlockMemberCommand(memberOf(req), params.memberId, false));
  }

  @Get('settings')
  @Access('member')
  @ApiOperation({ summary: "The caller's chat settings: who may send them direct messages, and whom they blocked" })
  @ApiOkResponse({ schema: { type: 'object', properties: { dmPolicy: { type: 'string', enum: [...DM_POLICIES] }, blocked: { type: 'array', items: MEMBER } } } })
  async settings(@Req() req: Request) {
    return this.queries.execute(new GetChatSettingsQuery(memberOf(req)));
  }

  @Put('settings')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Who may send the caller direct messages: everyone, known (members they already talk to or share a group with), nobody' })
  @ApiNoContentResponse()
  async setSettings(@Body() body: ApiSettingsRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new SetDmPolicyCommand(memberOf(req), body.dmPolicy));
  }

  // ---- Channels ----

  @Get('channels')
  @Access('member')
  @ApiOperation({ summary: 'Channels the caller may read, joined or not (`archived=1`: archived ones too, last)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { items: { type: 'array', items: SUMMARY } } } })
  async channels(@Query() query: ApiChannelsRequest, @Req() req: Request) {
    const archived = query.archived === '1' || query.archived === 'true';
    return { items: (await this.queries.execute(new ListChannelsQuery(memberOf(req), localeOf(req), archived))).map(summaryJson) };
  }

  @Post('channels/:id/join')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Joins a channel whose audience the caller belongs to; reading starts at its current end' })
  @ApiNoContentResponse()
  @NotFound()
  async joinChannel(@Param() params: ApiConversationParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new JoinChannelCommand(memberOf(req), params.id));
  }

  @Post('channels/:id/leave')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'Leaves a channel (its messages are no longer delivered or counted as unread)' })
  @ApiNoContentResponse()
  @NotFound()
  async leaveChannel(@Param() params: ApiConversationParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new LeaveConversationCommand(memberOf(req), params.id));
  }

  @Post('channels')
  @Access('operator')
  @ApiOperation({ summary: 'Operators: creates a channel (names and descriptions in Japanese and English, and its audience)' })
  @ApiCreatedResponse({ schema: CONVERSATION })
  async createChannel(@Body() body: ApiChannelRequest, @Req() req: Request) {
    const created = await this.commands.execute(
      new CreateChannelCommand(memberOf(req), { nameJa: body.nameJa, nameEn: body.nameEn ?? '', descriptionJa: body.descriptionJa ?? '', descriptionEn: body.descriptionEn ?? '', audience: body.audience }),
    );
    return this.conversation(req, created.conversationId);
  }

  @Patch('channels/:id')
  @Access('operator')
  @ApiOperation({ summary: "Operators: renames or describes a channel, or changes its audience" })
  @ApiOkResponse({ schema: CONVERSATION })
  @NotFound()
  async updateChannel(@Param() params: ApiConversationParams, @Body() body: ApiChannelRequest, @Req() req: Request) {
    await this.commands.execute(
      new UpdateChannelCommand(memberOf(req), params.id, { nameJa: body.nameJa, nameEn: body.nameEn ?? '', descriptionJa: body.descriptionJa ?? '', descriptionEn: body.descriptionEn ?? '', audience: body.audience }),
    );
    return this.conversation(req, params.id);
  }

  @Put('channels/:id/archived')
  @HttpCode(204)
  @Access('operator')
  @ApiOperation({ summary: 'Operators: archives a channel (read-only, listed last) or brings it back' })
  @ApiNoContentResponse()
  @NotFound()
  async archiveChannel(@Param() params: ApiConversationParams, @Body() body: ApiArchiveRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new ArchiveChannelCommand(memberOf(req), params.id, body.archived));
  }

  // ---- Groups ----

  @Get('groups')
  @Access('member')
  @ApiOperation({ summary: "Listed groups (and the caller's own, secret ones too), optionally by name" })
  @ApiOkResponse({ schema: { type: 'object', properties: { items: { type: 'array', items: SUMMARY } } } })
  async groups(@Query() query: ApiGroupsRequest, @Req() req: Request) {
    return { items: (await this.queries.execute(new ListGroupsQuery(memberOf(req), query.q ?? null, localeOf(req)))).map(summaryJson) };
  }

  @Post('groups')
  @Access('member')
  @ApiOperation({ summary: 'Creates a group chat; the caller is its owner and first member' })
  @ApiCreatedResponse({ schema: CONVERSATION })
  async createGroup(@Body() body: ApiGroupRequest, @Req() req: Request) {
    const created = await this.commands.execute(new CreateGroupCommand(memberOf(req), { name: body.name, description: body.description ?? '', listed: body.listed ?? true }));
    return this.conversation(req, created.conversationId);
  }

  @Patch('groups/:id')
  @Access('member')
  @ApiOperation({ summary: 'The owner renames or describes the group, or makes it listed or secret' })
  @ApiOkResponse({ schema: CONVERSATION })
  @NotFound()
  async updateGroup(@Param() params: ApiConversationParams, @Body() body: ApiGroupRequest, @Req() req: Request) {
    await this.commands.execute(new UpdateGroupCommand(memberOf(req), params.id, { name: body.name, description: body.description ?? '', listed: body.listed ?? true }));
    return this.conversation(req, params.id);
  }

  @Post('groups/:id/invitations')
  @Access('member')
  @ApiOperation({ summary: 'The owner invites a member (they accept or decline); a pending join request of theirs is approved instead (`joined`)' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { joined: { type: 'boolean', description: 'The member is in the group now (their join request was waiting)' } } } })
  @NotFound()
  async invite(@Param() params: ApiConversationParams, @Body() body: ApiMemberRequest, @Req() req: Request) {
    return this.commands.execute(new InviteToGroupCommand(memberOf(req), params.id, body.memberId));
  }

  @Post('groups/:id/invitation/accept')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: "Accepts the caller's invitation to the group" })
  @ApiNoContentResponse()
  @NotFound()
  async acceptInvitation(@Param() params: ApiConversationParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new RespondToGroupInvitationCommand(memberOf(req), params.id, true));
  }

  @Post('groups/:id/invitation/decline')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: "Declines the caller's invitation to the group" })
  @ApiNoContentResponse()
  @NotFound()
  async declineInvitation(@Param() params: ApiConversationParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new RespondToGroupInvitationCommand(memberOf(req), params.id, false));
  }

  @Post('groups/:id/join-requests')
  @Access('member')
  @ApiOperation({ summary: 'Asks to join a listed group (an invitation of the caller\'s is accepted instead: `joined`)' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { joined: { type: 'boolean', description: 'The caller is in the group now' } } } })
  @NotFound()
  async requestToJoin(@Param() params: ApiConversationParams, @Body() body: ApiJoinRequest, @Req() req: Request) {
    return this.commands.execute(new RequestToJoinGroupCommand(memberOf(req), params.id, body.message ?? ''));
  }

  @Post('groups/:id/join-requests/:memberId/approve')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: "The owner approves a member's join request" })
  @ApiNoContentResponse()
  @NotFound()
  async approve(@Param() params: ApiGroupMemberParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new DecideJoinRequestCommand(memberOf(req), params.id, params.memberId, true));
  }

  @Post('groups/:id/join-requests/:memberId/decline')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: "The owner declines a member's join request" })
  @ApiNoContentResponse()
  @NotFound()
  async decline(@Param() params: ApiGroupMemberParams, @Req() req: Request): Promise<void> {
    await this.commands.execute(new DecideJoinRequestCommand(memberOf(req), params.id, params.memberId, false));
  }

  @Delete('groups/:id/members/:memberId')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({
    summary: 'The owner removes a member (their sockets leave at once); the caller\'s own id leaves the group',
    description: 'An owner hands the group over first (PUT …/owner), unless they are its last member.',
  })
  @ApiNoContentResponse()
  @NotFound()
  @Conflict('The owner cannot leave before handing the group over')
  async removeMember(@Param() params: ApiGroupMemberParams, @Req() req: Request): Promise<void> {
    const viewer = memberOf(req);
    if (params.memberId === viewer.memberId) await this.commands.execute(new LeaveConversationCommand(viewer, params.id));
    else await this.commands.execute(new RemoveGroupMemberCommand(viewer, params.id, params.memberId));
  }

  @Put('groups/:id/owner')
  @HttpCode(204)
  @Access('member')
  @ApiOperation({ summary: 'The owner hands the group over to another of its members (and stays a member)' })
  @ApiNoContentResponse()
  @NotFound()
  async transfer(@Param() params: ApiConversationParams, @Body() body: ApiMemberRequest, @Req() req: Request): Promise<void> {
    await this.commands.execute(new TransferGroupOwnershipCommand(memberOf(req), params.id, body.memberId));
  }

  // ---- Messages ----

  @Patch('messages/:id')
  @Access('member')
  @ApiOperation({ summary: "Edits one's own message (marked edited); connected readers get the new text" })
  @ApiOkResponse({ schema: MESSAGE })
  @NotFound()
  async edit(@Param() params: ApiConversationParams, @Body() body: ApiEditMessageRequest, @Req() req: Request) {
    const viewer = memberOf(req);
    return messageJson(await this.commands.execute(new EditMessageCommand(viewer, params.id, body.body)), viewer);
  }

  @Delete('messages/:id')
  @Access('member')
  @ApiOperation({ summary: "Deletes one's own message: it keeps its place as 削除されました" })
  @ApiOkResponse({ description: 'The message as it is now (deleted, empty html)', schema: MESSAGE })
  @NotFound()
  async delete(@Param() params: ApiConversationParams, @Req() req: Request) {
    const viewer = memberOf(req);
    return messageJson(await this.commands.execute(new DeleteMessageCommand(viewer, params.id)), viewer);
  }

  @Put('messages/:id/hidden')
  @Access('member')
  @ApiOperation({ summary: 'Operators: hides a message in a channel, or shows it again' })
  @ApiOkResponse({ schema: MESSAGE })
  @NotFound()
  async hide(@Param() params: ApiConversationParams, @Body() body: ApiHideRequest, @Req() req: Request) {
    const viewer = memberOf(req);
    return messageJson(await this.commands.execute(new HideMessageCommand(viewer, params.id, body.hidden)), viewer);
  }

  @Post('messages/:id/reports')
  @Access('member')
  @ApiOperation({ summary: 'Reports a message to the moderators' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { reportId: uuid, hidden: { type: 'boolean', description: 'The message is hidden now (until reviewed)' } } } })
  @NotFound()
  @Conflict("One's own message")
  async report(@Param() params: ApiConversationParams, @Body() body: ApiChatReportRequest, @Req() req: Request) {
    const filed = await this.commands.execute(new ReportMessageCommand(memberOf(req), params.id, body.reason));
    return { reportId: filed.reportId, hidden: filed.hidden };
  }
}
