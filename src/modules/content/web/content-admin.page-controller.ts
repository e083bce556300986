import { Controller, Get, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { GetContentFiguresQuery, ListReviewQueueQuery } from '../contracts';
import { cardForView } from './content-view';
import { localeOf } from '@libs/web/request-context';

/** Figures per month over this many months, and per item for the most viewed. */
const FIGURE_MONTHS = 12;
const FIGURE_ITEMS = 50;

/** Operators (HR console, /admin/content): the review queue, scheduled items and the figures. */
@ApiExcludeController()
@Controller('admin/content')
export class ContentAdminPageController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Access('operator')
  @Render('content/admin')
  async index(@Req() req: Request) {
    const viewer = req.user as Viewer;
    const locale = localeOf(req);
    const [queue, figures] = await Promise.all([
      this.queries.execute(new ListReviewQueueQuery(viewer, locale)),
      this.queries.execute(new GetContentFiguresQuery(viewer, FIGURE_MONTHS, FIGURE_ITEMS)),
    ]);
    const totals = figures.months.reduce(
      (sum, m) => ({ published: sum.published + m.published, views: sum.views + m.views, likes: sum.likes + m.likes, comments: sum.comments + m.comments }),
      { published: 0, views: 0, likes: 0, comments: 0 },
    );
    return {
      title: 'content.admin.title',
      section: 'content',
      waiting: queue.waiting.map(cardForView),
      revisions: queue.revisions.map(cardForView),
      scheduled: queue.scheduled.map(cardForView),
      figures,
      totals,
      months: FIGURE_MONTHS,
    };
  }
}
