import { Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { AppConfig } from '@libs/config';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import {
  CreateCalendarFeedCommand,
  GetCalendarFeedFileQuery,
  GetCalendarFeedQuery,
  GetEventCalendarQuery,
  RevokeCalendarFeedCommand,
  type CalendarFileView,
} from '../contracts';

type FeedSession = { calendarFeedToken?: string };

function sendCalendar(res: Response, file: CalendarFileView, disposition: 'attachment' | 'inline'): void {
  res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
  res.setHeader('Content-Disposition', `${disposition}; filename="${file.fileName}"`);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.send(file.ics);
}

/** Calendar files: one event's .ics, the member's personal feed (secret URL), and the page that manages it. */
@ApiExcludeController()
@Controller()
export class CalendarController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
  ) {}

  @Get('events/:id/calendar.ics')
  @Access('public')
  async eventFile(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const file = await this.queries.execute(new GetEventCalendarQuery((req.user as Viewer | undefined) ?? null, id));
    sendCalendar(res, file, 'attachment');
  }

  /** Calendar apps fetch this without a session: the secret token is the key. */
  @Get('calendar/feed/:token.ics')
  @Access('public')
  async feed(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const file = await this.queries.execute(new GetCalendarFeedFileQuery(token));
    sendCalendar(res, file, 'inline');
  }

  @Get('account/calendar')
  @Access('member')
  @Render('events/calendar-feed')
  async page(@Req() req: Request) {
    const viewer = req.user as Viewer;
    const session = req.session as unknown as FeedSession;
    // A new token is shown once, right after it was made (only its hash is kept).
    const token = session.calendarFeedToken;
    delete session.calendarFeedToken;
    return {
      title: 'events.calendar.title',
      feed: await this.queries.execute(new GetCalendarFeedQuery(viewer.memberId)),
      feedUrl: token ? `${this.config.baseUrl}/calendar/feed/${token}.ics` : null,
    };
  }

  @Post('account/calendar')
  @FormPage('/account/calendar')
  @Access('member')
  async create(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { token } = await this.commands.execute(new CreateCalendarFeedCommand((req.user as Viewer).memberId));
    (req.session as unknown as FeedSession).calendarFeedToken = token;
    flash(req, 'success', 'events.flash.feedCreated');
    res.redirect(303, '/account/calendar');
  }

  @Post('account/calendar/revoke')
  @FormPage('/account/calendar')
  @Access('member')
  async revoke(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new RevokeCalendarFeedCommand((req.user as Viewer).memberId));
    flash(req, 'success', 'events.flash.feedRevoked');
    res.redirect(303, '/account/calendar');
  }
}
