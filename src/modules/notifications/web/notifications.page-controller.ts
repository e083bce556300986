import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { messageCatalog } from '@libs/i18n';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { pageLinks } from '@libs/web/pagination';
import { ListNotificationsQuery, MarkNotificationsReadCommand } from '../contracts';
import { notificationText } from './notification-text';
import { MarkNotificationsReadRequest, NotificationsPageQuery } from './notifications.request';

/**
 * /notifications: the member's notifications, newest first. Opening the list changes nothing (GET is safe); what is
 * read is marked by a POST — the "mark all" button, or the page's script sending the ids shown once it has opened.
 */
@ApiExcludeController()
@Controller('notifications')
export class NotificationsPageController {
  private readonly catalog = messageCatalog();

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('member')
  @Render('notifications/list')
  async list(@Query() query: NotificationsPageQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = req.user as Viewer;
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const result = await this.queries.execute(new ListNotificationsQuery(viewer, query.page ?? 1));
    const unreadShown = result.items.filter((n) => !n.read).map((n) => n.id);
    return {
      title: 'notifications.title',
      items: result.items.map((n) => ({ ...n, createdIso: n.createdAt.toISOString(), text: notificationText(this.catalog, n, req.locale, timeZone) })),
      result,
      unreadShown,
      unreadAfterShown: result.unread - unreadShown.length,
      pager: pageLinks('/notifications', {}, result.page, result.pages),
    };
  }

  @Post('read')
  @FormPage('/notifications')
  @Access('member')
  async markRead(@Body() body: MarkNotificationsReadRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    // With ids: the ones the list showed (sent by the page's script); without: every unread notification.
    const { marked } = await this.commands.execute(new MarkNotificationsReadCommand(req.user as Viewer, body.ids?.length ? body.ids : 'all'));
    if (!body.ids?.length) flash(req, marked > 0 ? 'success' : 'info', marked > 0 ? 'notifications.markedAllRead' : 'notifications.nothingToMark');
    res.redirect(303, '/notifications');
  }
}
