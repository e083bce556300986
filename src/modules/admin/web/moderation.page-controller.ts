import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { FormPage } from '@libs/web/form-return';
import { flash } from '@libs/web/form-state';
import { pageLinks } from '@libs/web/pagination';
import {
  AUTO_HIDE_REPORTERS,
  DECISION_NOTE_MAX,
  DecideModerationCommand,
  GetModerationHistoryQuery,
  ListModerationQueueQuery,
  MODERATION_DECISIONS,
} from '@modules/moderation/contracts';
import { DecideRequest, ModerationQueueRequest } from './moderation.request';
import { localeOf } from '@libs/web/request-context';

const queuePath = (page?: number) => (page && page > 1 ? `/admin/moderation?page=${page}` : '/admin/moderation');

/**
 * The moderation queue in the HR console: reported posts (and later chat messages and comments) waiting for an
 * operator's decision, oldest report first, and each member's history of reports and decisions.
 */
@ApiExcludeController()
@Controller('admin/moderation')
export class ModerationPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('operator')
  @Render('admin/moderation')
  async queue(@Query() query: ModerationQueueRequest, @Req() req: Request) {
    const queue = await this.queries.execute(new ListModerationQueueQuery(req.user as Viewer, query.page ?? 1, localeOf(req)));
    return {
      title: 'admin.moderation.title',
      section: 'moderation',
      queue,
      cases: queue.items.map((c) => ({ ...c, autoHidden: c.reporters >= AUTO_HIDE_REPORTERS })),
      decisions: MODERATION_DECISIONS,
      noteMax: DECISION_NOTE_MAX,
      autoHide: AUTO_HIDE_REPORTERS,
      pager: pageLinks('/admin/moderation', {}, queue.page, queue.pages),
    };
  }

  @Post('decide')
  @FormPage('/admin/moderation')
  @Access('operator')
  async decide(@Body() body: DecideRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DecideModerationCommand(req.user as Viewer, { type: body.subjectType, id: body.subjectId }, body.decision, body.note ?? ''));
    flash(req, 'success', `admin.moderation.flash.${body.decision}`);
    res.redirect(303, queuePath(body.page));
  }

  @Get('members/:memberId')
  @Access('operator')
  @Render('admin/moderation-history')
  async history(@Param('memberId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) memberId: string, @Req() req: Request) {
    const history = await this.queries.execute(new GetModerationHistoryQuery(req.user as Viewer, memberId, localeOf(req)));
    return { title: 'admin.moderation.history.title', section: 'moderation', history };
  }
}
