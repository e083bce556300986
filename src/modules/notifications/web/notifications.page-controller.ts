import { Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { messageCatalog } from '@libs/i18n';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { HeaderBadgeRegistry } from '@libs/web/header-badges';
import { pageLinks } from '@libs/web/pagination';
import { ListNotificationsQuery, MarkNotificationsReadCommand } from '../contracts';
import { notificationText } from './notification-text';
import { NotificationsPageQuery } from './notifications.request';

/** /notifications: the member's notifications, newest first; the ones shown are marked read as the page opens. */
@ApiExcludeController()
@Controller('notifications')
export class NotificationsPageController {
  private readonly catalog = messageCatalog();

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly badges: HeaderBadgeRegistry,
  ) {}

  @Get()
  @Access('member')
  @Render('notifications/list')
  async list(@Query() query: NotificationsPageQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = req.user as Viewer;
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const result = await this.queries.execute(new ListNotificationsQuery(viewer, query.page ?? 1));
    const unreadShown = result.items.filter((n) => !n.read).map((n) => n.id);
    if (unreadShown.length > 0) {
      await this.commands.execute(new MarkNotificationsReadCommand(viewer, unreadShown));
      // The bell on this page already counts them as read.
      res.locals.headerBadges = await this.badges.for(viewer, req.path);
    }
    return {
      title: 'notifications.title',
      items: result.items.map((n) => ({ ...n, createdIso: n.createdAt.toISOString(), text: notificationText(this.catalog, n, req.locale, timeZone) })),
      result,
      unreadElsewhere: result.unread - unreadShown.length,
      pager: pageLinks('/notifications', {}, result.page, result.pages),
    };
  }

  @Post('read')
  @FormPage('/notifications')
  @Access('member')
  async markAllRead(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { marked } = await this.commands.execute(new MarkNotificationsReadCommand(req.user as Viewer, 'all'));
    if (marked > 0) flash(req, 'success', 'notifications.markedAllRead');
    else flash(req, 'info', 'notifications.nothingToMark');
    res.redirect(303, '/notifications');
  }
}
