import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { FormPage } from '@libs/web/form-return';
import { flash } from '@libs/web/form-state';
import { ArchiveBoardCommand, BOARD_VISIBILITIES, CreateBoardCommand, GetBoardQuery, ListBoardsQuery, MoveBoardCommand, THREAD_STARTERS, UpdateBoardCommand, type BoardInput } from '../contracts';
import { ArchiveBoardRequest, BoardRequest, MoveBoardRequest } from './forum.request';

const input = (b: BoardRequest): BoardInput => ({
  nameJa: b.nameJa,
  nameEn: b.nameEn ?? '',
  descriptionJa: b.descriptionJa ?? '',
  descriptionEn: b.descriptionEn ?? '',
  visibility: b.visibility,
  threadStarters: b.threadStarters,
  publicReadable: b.publicReadable === true,
});

/** Operators manage the boards: create, edit, order, archive (HR console, /admin/forum). */
@ApiExcludeController()
@Controller('admin/forum')
export class ForumAdminPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('operator')
  @Render('networking/admin-boards')
  async list(@Req() req: Request) {
    const boards = await this.queries.execute(new ListBoardsQuery(req.user as Viewer, req.locale === 'en' ? 'en' : 'ja'));
    return { title: 'networking.forum.admin.title', section: 'forum', boards };
  }

  @Get('new')
  @Access('operator')
  @Render('networking/admin-board-form')
  newForm() {
    return { title: 'networking.forum.admin.create', section: 'forum', board: { visibility: 'members', threadStarters: 'members' }, visibilities: BOARD_VISIBILITIES, starters: THREAD_STARTERS, action: '/admin/forum/new' };
  }

  @Post('new')
  @FormPage('/admin/forum/new')
  @Access('operator')
  async create(@Body() body: BoardRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new CreateBoardCommand(req.user as Viewer, input(body)));
    flash(req, 'success', 'networking.forum.admin.flash.created');
    res.redirect(303, '/admin/forum');
  }

  @Get(':boardId/edit')
  @Access('operator')
  @Render('networking/admin-board-form')
  async editForm(@Param('boardId') boardId: string, @Req() req: Request) {
    const board = await this.queries.execute(new GetBoardQuery(req.user as Viewer, boardId, 'ja'));
    return { title: 'networking.forum.admin.edit', section: 'forum', board, visibilities: BOARD_VISIBILITIES, starters: THREAD_STARTERS, action: `/admin/forum/${board.id}/edit` };
  }

  @Post(':boardId/edit')
  @FormPage('/admin/forum/:boardId/edit')
  @Access('operator')
  async update(@Param('boardId') boardId: string, @Body() body: BoardRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new UpdateBoardCommand(req.user as Viewer, boardId, input(body)));
    flash(req, 'success', 'networking.forum.admin.flash.saved');
    res.redirect(303, '/admin/forum');
  }

  @Post(':boardId/move')
  @Access('operator')
  async move(@Param('boardId') boardId: string, @Body() body: MoveBoardRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new MoveBoardCommand(req.user as Viewer, boardId, body.direction));
    res.redirect(303, '/admin/forum');
  }

  @Post(':boardId/archive')
  @Access('operator')
  async archive(@Param('boardId') boardId: string, @Body() body: ArchiveBoardRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ArchiveBoardCommand(req.user as Viewer, boardId, body.archived === '1'));
    flash(req, 'success', body.archived === '1' ? 'networking.forum.admin.flash.archived' : 'networking.forum.admin.flash.restored');
    res.redirect(303, '/admin/forum');
  }
}
