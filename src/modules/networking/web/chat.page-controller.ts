import { randomUUID } from 'node:crypto';
import { Body, Controller, ForbiddenException, Get, NotFoundException, Param, ParseUUIDPipe, Post, Query, Render, Req, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { dateTimeFormat } from '@libs/calendar/date-format';
import { DEFAULT_TIME_ZONE, zonedDate } from '@libs/calendar/zoned-time';
import { DomainError } from '@libs/ddd';
import { IMAGE_CACHE_CONTROL, sendImage } from '@libs/images/image-response';
import { ImagePurposes } from '@libs/images/image-purpose';
import { ImageService } from '@libs/images/image.service';
import { SafeHtml } from '@libs/markdown/markdown';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { FormPage } from '@libs/web/form-return';
import { flash } from '@libs/web/form-state';
import { FindMembersByNameQuery } from '@modules/membership/contracts';
import { MarkNotificationsReadByLinkCommand, NOTIFICATIONS_BADGE } from '@modules/notifications/contracts';
import {
  BlockMemberCommand,
  CONVERSATION_DESCRIPTION_MAX,
  CONVERSATION_NAME_MAX,
  CreateGroupCommand,
  DecideJoinRequestCommand,
  DeleteMessageCommand,
  DM_POLICIES,
  EditMessageCommand,
  GetChatImageAccessQuery,
  GetChatSettingsQuery,
  GetConversationQuery,
  HideMessageCommand,
  InviteToGroupCommand,
  JoinChannelCommand,
  LeaveConversationCommand,
  ListChannelsQuery,
  ListConversationsQuery,
  ListGroupsQuery,
  ListMessagesQuery,
  MarkConversationReadCommand,
  MESSAGE_IMAGES_MAX,
  MESSAGE_MAX,
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
  UpdateGroupCommand,
  type ConversationSummaryView,
  type ConversationView,
  type ForumLocale,
  type MessageView,
} from '../contracts';
import {
  BlockRequest,
  ConversationPageRequest,
  DecisionRequest,
  DmPolicyRequest,
  EditMessageRequest,
  GroupRequest,
  GroupSearchRequest,
  GroupSettingsRequest,
  HideMessageRequest,
  InvitationAnswerRequest,
  InviteRequest,
  JoinRequestRequest,
  MemberRequest,
  MessageActionRequest,
  MessageRefRequest,
  OpenDmRequest,
  ReportMessageRequest,
  SearchConversationRequest,
  SendMessageRequest,
} from './chat.request';
import { localeOf, memberOf } from '@libs/web/request-context';
import { countOutOnPage } from '@libs/web/header-badges';

const IMAGE_BYTES = 10 * 1024 * 1024;
/** The Socket.IO client the app's own Socket.IO server hands out, then the chat script (both same-origin). */
export const CHAT_SCRIPTS = ['/socket.io/socket.io.min.js', '/static/chat.js'];
const Id = () => new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** The conversation page (at its latest messages, or the page older than `before`), at one message. */
export const conversationUrl = (conversationId: string, before?: number, seq?: number) =>
  `/chat/c/${conversationId}${before ? `?before=${before}` : ''}${seq ? `#m${seq}` : ''}`;

const isoOf = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const initialOf = (name: string) => [...name][0] ?? '?';

/** A message for one field of the form, raised by the page itself (the name to invite). */
class ChatFieldError extends DomainError {
  constructor(field: string, code: string) {
    super(code, { field });
  }
}

/** One conversation in a list, with what the page shows of it. */
export const summaryForView = (c: ConversationSummaryView) => ({
  ...c,
  initial: initialOf(c.title),
  lastAt: c.lastMessage?.at ?? c.lastMessageAt,
  lastIso: isoOf(c.lastMessage?.at ?? c.lastMessageAt),
});

/** The day a message was written, in the reader's zone, and how a divider names it (2026年12月7日(月) / Mon, 7 December 2026). */
export function dayOf(at: Date | string, locale: ForumLocale, zone: string): { day: string; dayLabel: string } {
  const instant = new Date(at);
  return {
    day: zonedDate(instant, zone),
    dayLabel: dateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', timeZone: zone }).format(instant),
  };
}

/** Marks the first message of each day on the page, for the day dividers of the timeline. */
function withDayDividers<M extends { createdAt: Date | string }>(messages: M[], locale: ForumLocale, zone: string): (M & { day: string; dayLabel: string; newDay: boolean })[] {
  let previous = '';
  return messages.map((m) => {
    const { day, dayLabel } = dayOf(m.createdAt, locale, zone);
    const newDay = day !== previous;
    previous = day;
    return { ...m, day, dayLabel, newDay };
  });
}

/** One message as the conversation page shows it to this viewer. */
function messageForView(m: MessageView, viewer: Viewer, view: ConversationView, before: number | undefined) {
  const mine = m.author.memberId !== null && m.author.memberId === viewer.memberId;
  return {
    ...m,
    content: new SafeHtml(m.html),
    iso: isoOf(m.createdAt),
    initial: initialOf(m.author.displayName),
    mine,
    read: view.conversation.kind === 'dm' && mine && view.otherLastReadSeq !== null && m.seq <= view.otherLastReadSeq,
    canEdit: mine && !m.deleted && !m.hidden && view.canPost,
    canDelete: mine && !m.deleted,
    canReport: !mine && !m.deleted && !m.hidden && m.author.memberId !== null,
    ref: `c=${m.conversationId}&seq=${m.seq}`,
    before,
  };
}

/**
 * チャット: the member's conversations (channels, direct messages, groups), one conversation with its messages and
 * forms, group settings, and who may message them. Every page works with plain forms; chat.js adds live updates.
 */
@ApiExcludeController()
@Controller('chat')
export class ChatPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly images: ImageService,
  ) {}

  // ---- Lists ----

  @Get()
  @Access('member')
  @Render('networking/chat')
  async index(@Req() req: Request) {
    const list = await this.queries.execute(new ListConversationsQuery(memberOf(req), localeOf(req)));
    return { title: 'networking.chat.title', list: { ...list, items: list.items.map(summaryForView) }, scripts: CHAT_SCRIPTS };
  }

  @Get('channels')
  @Access('member')
  @Render('networking/chat-channels')
  async channels(@Req() req: Request) {
    const channels = await this.queries.execute(new ListChannelsQuery(memberOf(req), localeOf(req)));
    return { title: 'networking.chat.channels.title', channels: channels.map(summaryForView), scripts: CHAT_SCRIPTS };
  }

  @Get('groups')
  @Access('member')
  @Render('networking/chat-groups')
  async groups(@Query() query: GroupSearchRequest, @Req() req: Request) {
    const q = query.q ?? '';
    const groups = await this.queries.execute(new ListGroupsQuery(memberOf(req), q || null, localeOf(req)));
    return { title: 'networking.chat.groups.title', q, groups: groups.map(summaryForView), scripts: CHAT_SCRIPTS };
  }

  @Get('groups/new')
  @Access('member')
  @Render('networking/chat-group-form')
  newGroup() {
    return { title: 'networking.chat.groups.create', group: { name: '', description: '', listedValue: '0' }, action: '/chat/groups/new', nameMax: CONVERSATION_NAME_MAX, descriptionMax: CONVERSATION_DESCRIPTION_MAX };
  }

  @Post('groups/new')
  @FormPage('/chat/groups/new')
  @Access('member')
  async createGroup(@Body() body: GroupRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { conversationId } = await this.commands.execute(new CreateGroupCommand(memberOf(req), { name: body.name, description: body.description ?? '', listed: body.listed === true }));
    flash(req, 'success', 'networking.chat.flash.groupCreated');
    res.redirect(303, `/chat/c/${conversationId}/settings`);
  }

  // ---- Direct messages ----

  /** Opens (or finds) the DM with a member: from a profile's or the directory's "send a message" button. */
  @Post('dms')
  @FormPage('/chat')
  @Access('member')
  async openDm(@Body() body: OpenDmRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = memberOf(req);
    try {
      const { conversationId } = await this.commands.execute(new OpenDirectConversationCommand(viewer, body.memberId));
      res.redirect(303, `/chat/c/${conversationId}`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status >= 500) throw e;
      // A DM they already have stays readable: its page says that no new messages can be sent.
      const list = await this.queries.execute(new ListConversationsQuery(viewer, localeOf(req)));
      const existing = list.items.find((c) => c.kind === 'dm' && c.other?.memberId === body.memberId);
      if (existing) {
        res.redirect(303, `/chat/c/${existing.id}`);
        return;
      }
      // Whatever the reason (their setting, a block either way, no such member, the viewer themself): the same words.
      flash(req, 'info', 'networking.chat.dm.unavailable');
      res.redirect(303, '/chat');
    }
  }

  @Post('block')
  @FormPage('/chat/settings')
  @Access('member')
  async block(@Body() body: BlockRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const blocked = body.blocked === '1';
    await this.commands.execute(new BlockMemberCommand(memberOf(req), body.memberId, blocked));
    flash(req, 'success', blocked ? 'networking.chat.flash.blocked' : 'networking.chat.flash.unblocked');
    res.redirect(303, body.conversationId ? `/chat/c/${body.conversationId}` : '/chat/settings');
  }

  // ---- The viewer's settings ----

  @Get('settings')
  @Access('member')
  @Render('networking/chat-settings')
  async settings(@Req() req: Request) {
    const settings = await this.queries.execute(new GetChatSettingsQuery(memberOf(req)));
    return { title: 'networking.chat.settings.title', settings, policies: DM_POLICIES };
  }

  @Post('settings')
  @FormPage('/chat/settings')
  @Access('member')
  async saveSettings(@Body() body: DmPolicyRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new SetDmPolicyCommand(memberOf(req), body.dmPolicy));
    flash(req, 'success', 'networking.chat.flash.settingsSaved');
    res.redirect(303, '/chat/settings');
  }

  // ---- Images ----

  @Get('images/:imageId/:variant')
  @Access('member')
  async image(@Param('imageId') imageId: string, @Param('variant') variant: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ok = /^[0-9a-f-]{36}$/i.test(imageId) && (await this.queries.execute(new GetChatImageAccessQuery(memberOf(req), imageId)));
    const image = ok ? await this.images.open(ImagePurposes.attachment, imageId, variant) : null;
    if (!image) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    sendImage(res, image, IMAGE_CACHE_CONTROL.members);
  }

  // ---- One conversation ----

  @Get('c/:id')
  @Access('member')
  @Render('networking/chat-conversation')
  async conversation(@Param('id', Id()) id: string, @Query() query: ConversationPageRequest, @Req() req: Request) {
    const viewer = memberOf(req);
    const view = await this.queries.execute(new GetConversationQuery(viewer, id, localeOf(req)));
    const c = view.conversation;
    let messages: ReturnType<typeof withDayDividers<ReturnType<typeof messageForView>>> = [];
    let older: number | null = null;
    let newer: number | null = null;
    let atEnd = true;
    let lastShown = 0;
    if (view.canRead) {
      const page = await this.queries.execute(new ListMessagesQuery(viewer, id, { before: query.before, limit: MESSAGES_PAGE_SIZE }));
      messages = withDayDividers(
        page.items.map((m) => messageForView(m, viewer, view, query.before)),
        localeOf(req),
        viewer.timeZone ?? DEFAULT_TIME_ZONE,
      );
      const first = page.items[0];
      const last = page.items[page.items.length - 1];
      if (page.more && first) older = first.seq;
      atEnd = !last || last.seq >= page.lastSeq;
      lastShown = last?.seq ?? 0;
      if (!atEnd && last) newer = last.seq + MESSAGES_PAGE_SIZE + 1;
      // Opening the page reads what it shows (only forwards; never past the last message shown).
      if (c.joined && last && last.seq > c.lastReadSeq) {
        await this.commands.execute(new MarkConversationReadCommand(viewer, id, last.seq));
      }
      // The bell's notices about this conversation have been seen now.
      if (atEnd) await countOutOnPage(req, NOTIFICATIONS_BADGE, () => this.commands.execute(new MarkNotificationsReadByLinkCommand(viewer, [`/chat/c/${id}`])));
    }
    return {
      title: c.title,
      titleIsText: true,
      view,
      c,
      messages,
      older,
      newer: atEnd ? null : newer,
      atEnd,
      lastShown,
      before: query.before,
      clientId: randomUUID(),
      other: c.kind === 'dm' ? view.members.find((m) => m.memberId !== viewer.memberId) ?? c.other : null,
      maxImages: MESSAGE_IMAGES_MAX,
      messageMax: MESSAGE_MAX,
      scripts: CHAT_SCRIPTS,
    };
  }

  @Post('c/:id/messages')
  @FormPage('/chat/c/:id')
  @Access('member')
  @UseInterceptors(FilesInterceptor('images', MESSAGE_IMAGES_MAX + 1, { limits: { fileSize: IMAGE_BYTES, files: MESSAGE_IMAGES_MAX + 1, fields: 10 } }))
  async send(@Param('id', Id()) id: string, @Body() body: SendMessageRequest, @UploadedFiles() files: { buffer: Buffer; size: number }[] | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const images = (files ?? []).filter((f) => f.size > 0).map((f) => f.buffer);
    const { message } = await this.commands.execute(new SendMessageCommand(memberOf(req), id, { clientId: body.clientId, body: body.body, images }));
    res.redirect(303, conversationUrl(id, undefined, message.seq));
  }

  @Get('c/:id/search')
  @Access('member')
  @Render('networking/chat-search')
  async search(@Param('id', Id()) id: string, @Query() query: SearchConversationRequest, @Req() req: Request) {
    const viewer = memberOf(req);
    const view = await this.queries.execute(new GetConversationQuery(viewer, id, localeOf(req)));
    if (!view.canRead) throw new NotFoundException();
    const q = query.q ?? '';
    let result = null;
    let error: string | null = null;
    if (q.trim()) {
      try {
        const found = await this.queries.execute(new SearchConversationQuery(viewer, id, q));
        result = { ...found, items: found.items.map((m) => ({ ...m, url: conversationUrl(id, m.seq + Math.floor(MESSAGES_PAGE_SIZE / 2), m.seq) })) };
      } catch (e) {
        if (!(e instanceof DomainError) || e.status === 404 || e.status >= 500) throw e;
        error = e.code;
      }
    }
    return { title: 'networking.chat.search.title', c: view.conversation, q, result, error };
  }

  @Post('c/:id/join')
  @Access('member')
  async join(@Param('id', Id()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new JoinChannelCommand(memberOf(req), id));
    flash(req, 'success', 'networking.chat.flash.joined');
    res.redirect(303, `/chat/c/${id}`);
  }

  @Post('c/:id/leave')
  @Access('member')
  async leave(@Param('id', Id()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const view = await this.queries.execute(new GetConversationQuery(memberOf(req), id, localeOf(req)));
    await this.commands.execute(new LeaveConversationCommand(memberOf(req), id));
    flash(req, 'success', 'networking.chat.flash.left');
    res.redirect(303, view.conversation.kind === 'channel' ? '/chat/channels' : '/chat');
  }

  @Post('c/:id/request')
  @FormPage('/chat/c/:id')
  @Access('member')
  async requestToJoin(@Param('id', Id()) id: string, @Body() body: JoinRequestRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { joined } = await this.commands.execute(new RequestToJoinGroupCommand(memberOf(req), id, body.message ?? ''));
    flash(req, 'success', joined ? 'networking.chat.flash.joined' : 'networking.chat.flash.requested');
    res.redirect(303, `/chat/c/${id}`);
  }

  @Post('c/:id/invitation')
  @Access('member')
  async answerInvitation(@Param('id', Id()) id: string, @Body() body: InvitationAnswerRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const accept = body.accept === '1';
    await this.commands.execute(new RespondToGroupInvitationCommand(memberOf(req), id, accept));
    flash(req, 'success', accept ? 'networking.chat.flash.joined' : 'networking.chat.flash.declined');
    res.redirect(303, accept ? `/chat/c/${id}` : '/chat');
  }

  // ---- Group settings ----

  @Get('c/:id/settings')
  @Access('member')
  @Render('networking/chat-group-settings')
  async groupSettings(@Param('id', Id()) id: string, @Query() query: GroupSettingsRequest, @Req() req: Request) {
    const viewer = memberOf(req);
    const view = await this.queries.execute(new GetConversationQuery(viewer, id, localeOf(req)));
    if (view.conversation.kind !== 'group' || !view.canRead) throw new NotFoundException();
    const inMembers = new Set(view.members.map((m) => m.memberId));
    const pending = new Set(view.requests.map((r) => r.member.memberId));
    let candidates: { memberId: string; displayName: string; displayNameKana: string; pending: boolean }[] | null = null;
    if (view.canManage && query.invite) {
      const found = await this.queries.execute(new FindMembersByNameQuery(query.invite, 'contains', ['employee', 'alumni'], 10));
      candidates = found.filter((m) => !m.deleted && !inMembers.has(m.memberId)).map((m) => ({ memberId: m.memberId, displayName: m.displayName, displayNameKana: m.displayNameKana, pending: pending.has(m.memberId) }));
    }
    const members = view.members.map((m) => ({ ...m, isViewer: m.memberId === viewer.memberId }));
    return {
      title: 'networking.chat.group.settingsTitle',
      view,
      c: view.conversation,
      members,
      joinRequests: view.requests.filter((r) => r.kind === 'join'),
      invitations: view.requests.filter((r) => r.kind === 'invite'),
      group: { name: view.conversation.title, description: view.conversation.description, listedValue: view.conversation.listed ? '1' : '0' },
      invite: query.invite ?? '',
      candidates,
      nameMax: CONVERSATION_NAME_MAX,
      descriptionMax: CONVERSATION_DESCRIPTION_MAX,
    };
  }

  @Post('c/:id/settings')
  @FormPage('/chat/c/:id/settings')
  @Access('member')
  async updateGroup(@Param('id', Id()) id: string, @Body() body: GroupRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new UpdateGroupCommand(memberOf(req), id, { name: body.name, description: body.description ?? '', listed: body.listed === true }));
    flash(req, 'success', 'networking.chat.flash.groupSaved');
    res.redirect(303, `/chat/c/${id}/settings`);
  }

  /**
   * Invites a member: picked from the names found (memberId), or by a typed name that matches exactly one member.
   * Several matches go back to the settings page to pick from; none is a message on the field.
   */
  @Post('c/:id/invite')
  @FormPage('/chat/c/:id/settings')
  @Access('member')
  async invite(@Param('id', Id()) id: string, @Body() body: InviteRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = memberOf(req);
    let memberId = body.memberId;
    if (!memberId) {
      const name = body.name ?? '';
      if (!name) throw new ChatFieldError('name', 'networking.chat.invite.nameRequired');
      const view = await this.queries.execute(new GetConversationQuery(viewer, id, localeOf(req)));
      if (!view.canManage) throw new ForbiddenException();
      const inMembers = new Set(view.members.map((m) => m.memberId));
      const found = (await this.queries.execute(new FindMembersByNameQuery(name, 'contains', ['employee', 'alumni'], 10))).filter((m) => !m.deleted && !inMembers.has(m.memberId));
      if (found.length === 0) throw new ChatFieldError('name', 'networking.chat.invite.notFound');
      if (found.length > 1) {
        res.redirect(303, `/chat/c/${id}/settings?invite=${encodeURIComponent(name)}#invite`);
        return;
      }
      memberId = found[0].memberId;
    }
    const { joined } = await this.commands.execute(new InviteToGroupCommand(viewer, id, memberId));
    flash(req, 'success', joined ? 'networking.chat.flash.approved' : 'networking.chat.flash.invited');
    res.redirect(303, `/chat/c/${id}/settings`);
  }

  @Post('c/:id/requests/:memberId')
  @Access('member')
  async decide(@Param('id', Id()) id: string, @Param('memberId', Id()) memberId: string, @Body() body: DecisionRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const approve = body.approve === '1';
    await this.commands.execute(new DecideJoinRequestCommand(memberOf(req), id, memberId, approve));
    flash(req, 'success', approve ? 'networking.chat.flash.approved' : 'networking.chat.flash.requestDeclined');
    res.redirect(303, `/chat/c/${id}/settings`);
  }

  @Post('c/:id/remove')
  @Access('member')
  async remove(@Param('id', Id()) id: string, @Body() body: MemberRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new RemoveGroupMemberCommand(memberOf(req), id, body.memberId));
    flash(req, 'success', 'networking.chat.flash.removed');
    res.redirect(303, `/chat/c/${id}/settings`);
  }

  @Post('c/:id/owner')
  @Access('member')
  async transfer(@Param('id', Id()) id: string, @Body() body: MemberRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new TransferGroupOwnershipCommand(memberOf(req), id, body.memberId));
    flash(req, 'success', 'networking.chat.flash.transferred');
    res.redirect(303, `/chat/c/${id}/settings`);
  }

  // ---- One message ----

  /** The message named by the page's link (conversation and number), checked against its id. */
  private async messageOf(req: Request, messageId: string, ref: MessageRefRequest) {
    const viewer = memberOf(req);
    const view = await this.queries.execute(new GetConversationQuery(viewer, ref.c, localeOf(req)));
    if (!view.canRead) throw new NotFoundException();
    const page = await this.queries.execute(new ListMessagesQuery(viewer, ref.c, { before: ref.seq + 1, limit: 1 }));
    const message = page.items.find((m) => m.id === messageId && m.seq === ref.seq);
    if (!message) throw new NotFoundException();
    return { view, message: messageForView(message, viewer, view, undefined) };
  }

  @Get('m/:id/edit')
  @Access('member')
  @Render('networking/chat-message-edit')
  async editForm(@Param('id', Id()) id: string, @Query() ref: MessageRefRequest, @Req() req: Request) {
    const { view, message } = await this.messageOf(req, id, ref);
    if (!message.canEdit) throw new ForbiddenException();
    return { title: 'networking.chat.edit.title', c: view.conversation, message, messageMax: MESSAGE_MAX, backUrl: conversationUrl(ref.c, ref.seq + Math.floor(MESSAGES_PAGE_SIZE / 2), ref.seq) };
  }

  /** The form's action carries `?c=&seq=` too, so that a refused edit comes back to the same page. */
  @Post('m/:id/edit')
  @Access('member')
  async edit(@Param('id', Id()) id: string, @Body() body: EditMessageRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const message = await this.commands.execute(new EditMessageCommand(memberOf(req), id, body.body));
    flash(req, 'success', 'networking.chat.flash.edited');
    res.redirect(303, conversationUrl(message.conversationId, undefined, message.seq));
  }

  @Post('m/:id/delete')
  @Access('member')
  async delete(@Param('id', Id()) id: string, @Body() body: MessageActionRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const message = await this.commands.execute(new DeleteMessageCommand(memberOf(req), id));
    flash(req, 'success', 'networking.chat.flash.deleted');
    res.redirect(303, conversationUrl(message.conversationId, body.before, message.seq));
  }

  @Post('m/:id/hide')
  @Access('operator')
  async hide(@Param('id', Id()) id: string, @Body() body: HideMessageRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const message = await this.commands.execute(new HideMessageCommand(memberOf(req), id, body.hidden === '1'));
    flash(req, 'success', body.hidden === '1' ? 'networking.chat.flash.hidden' : 'networking.chat.flash.shown');
    res.redirect(303, conversationUrl(message.conversationId, body.before, message.seq));
  }

  @Get('m/:id/report')
  @Access('member')
  @Render('networking/chat-message-report')
  async reportForm(@Param('id', Id()) id: string, @Query() ref: MessageRefRequest, @Req() req: Request) {
    const { view, message } = await this.messageOf(req, id, ref);
    if (!message.canReport) throw new ForbiddenException();
    return { title: 'networking.chat.report.title', c: view.conversation, message, backUrl: conversationUrl(ref.c, ref.seq + Math.floor(MESSAGES_PAGE_SIZE / 2), ref.seq) };
  }

  @Post('m/:id/report')
  @Access('member')
  async report(@Param('id', Id()) id: string, @Query() ref: MessageRefRequest, @Body() body: ReportMessageRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ReportMessageCommand(memberOf(req), id, body.reason));
    flash(req, 'success', 'networking.chat.flash.reported');
    res.redirect(303, conversationUrl(ref.c, ref.seq + Math.floor(MESSAGES_PAGE_SIZE / 2), ref.seq));
  }
}
