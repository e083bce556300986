import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { FormPage } from '@libs/web/form-return';
import { flash } from '@libs/web/form-state';
import {
  ArchiveChannelCommand,
  CHANNEL_AUDIENCES,
  CONVERSATION_DESCRIPTION_MAX,
  CONVERSATION_NAME_MAX,
  CreateChannelCommand,
  GetConversationQuery,
  ListChannelsQuery,
  UpdateChannelCommand,
  type ChannelInput,
} from '../contracts';
import { ArchiveChannelRequest, ChannelRequest } from './chat.request';

const input = (b: ChannelRequest): ChannelInput => ({
  nameJa: b.nameJa,
  nameEn: b.nameEn ?? '',
  descriptionJa: b.descriptionJa ?? '',
  descriptionEn: b.descriptionEn ?? '',
  audience: b.audience,
});

const formData = (title: string, channel: Partial<ChannelInput>, action: string) => ({
  title,
  section: 'chat',
  channel,
  audiences: CHANNEL_AUDIENCES,
  action,
  nameMax: CONVERSATION_NAME_MAX,
  descriptionMax: CONVERSATION_DESCRIPTION_MAX,
});

/** Operators manage the chat channels: create, edit, archive (HR console, /admin/chat). */
@ApiExcludeController()
@Controller('admin/chat')
export class ChatAdminPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('operator')
  @Render('networking/chat-admin-channels')
  async list(@Req() req: Request) {
    const channels = await this.queries.execute(new ListChannelsQuery(req.user as Viewer, req.locale === 'en' ? 'en' : 'ja', true));
    return { title: 'networking.chat.admin.title', section: 'chat', channels };
  }

  @Get('new')
  @Access('operator')
  @Render('networking/chat-admin-channel-form')
  newForm() {
    return formData('networking.chat.admin.create', { audience: 'members' }, '/admin/chat/new');
  }

  @Post('new')
  @FormPage('/admin/chat/new')
  @Access('operator')
  async create(@Body() body: ChannelRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new CreateChannelCommand(req.user as Viewer, input(body)));
    flash(req, 'success', 'networking.chat.admin.flash.created');
    res.redirect(303, '/admin/chat');
  }

  @Get(':id/edit')
  @Access('operator')
  @Render('networking/chat-admin-channel-form')
  async editForm(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request) {
    const view = await this.queries.execute(new GetConversationQuery(req.user as Viewer, id, 'ja'));
    if (view.conversation.kind !== 'channel') throw new NotFoundException();
    const channel = { nameJa: view.nameJa, nameEn: view.nameEn, descriptionJa: view.descriptionJa, descriptionEn: view.descriptionEn, audience: view.conversation.audience ?? 'members', archived: view.conversation.archived, id };
    return formData('networking.chat.admin.edit', channel, `/admin/chat/${id}/edit`);
  }

  @Post(':id/edit')
  @FormPage('/admin/chat/:id/edit')
  @Access('operator')
  async update(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Body() body: ChannelRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new UpdateChannelCommand(req.user as Viewer, id, input(body)));
    flash(req, 'success', 'networking.chat.admin.flash.saved');
    res.redirect(303, '/admin/chat');
  }

  @Post(':id/archive')
  @Access('operator')
  async archive(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Body() body: ArchiveChannelRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ArchiveChannelCommand(req.user as Viewer, id, body.archived === '1'));
    flash(req, 'success', body.archived === '1' ? 'networking.chat.admin.flash.archived' : 'networking.chat.admin.flash.restored');
    res.redirect(303, '/admin/chat');
  }
}
