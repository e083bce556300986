import { MarkNotificationsReadByLinkCommand, NOTIFICATIONS_BADGE } from '@modules/notifications/contracts';
import { Body, Controller, Get, Logger, Param, Post, Query, Render, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { zoneLabel, zonedMonth } from '@libs/calendar/zoned-time';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { pageLinks } from '@libs/web/pagination';
import {
  CancelRegistrationCommand,
  EVENT_CATEGORIES,
  EVENT_FORMATS,
  GetEventQuery,
  ListEventsQuery,
  RegisterForEventCommand,
  type EventListTab,
} from '../contracts';
import { EventNotFoundError } from '../domain/events.errors';
import { ListEventReportsQuery, type ContentCardView } from '@modules/content/contracts';
import { SafeHtml } from '@libs/markdown/markdown';
import { EventListRequest, RegisterRequest } from './events.request';
import { viewerOf, zoneOf } from '@libs/web/request-context';
import { countOutOnPage } from '@libs/web/header-badges';

const yen = (n: number) => n.toLocaleString('ja-JP');

/** イベント: the list (upcoming, past, mine), one event, registering and cancelling. */
@ApiExcludeController()
@Controller('events')
export class EventsPageController {
  private readonly logger = new Logger('EventsPages');

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('public')
  @Render('events/events')
  async list(@Query() query: EventListRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = viewerOf(req);
    const tab: EventListTab = query.mine === '1' ? 'mine' : (query.tab ?? 'upcoming');
    const filter = { tab, category: query.category, format: query.format, month: query.month, q: query.q };
    const timeZone = zoneOf(res);
    const result = await this.queries.execute(new ListEventsQuery(viewer, filter, query.page ?? 1, timeZone));
    const linkQuery = { tab: tab === 'upcoming' ? undefined : tab, category: filter.category, format: filter.format, month: filter.month, q: filter.q };
    const filtered = !!(filter.category || filter.format || filter.month || filter.q);
    const tabHref = (t: EventListTab) => {
      const params = new URLSearchParams();
      if (t !== 'upcoming') params.set('tab', t);
      for (const [k, v] of Object.entries({ category: filter.category, format: filter.format, month: filter.month, q: filter.q })) if (v) params.set(k, v);
      const qs = params.toString();
      return qs ? `/events?${qs}` : '/events';
    };
    const isMember = AccessPolicy.isMember(viewer);
    return {
      title: 'events.list.title',
      query: filter,
      tab,
      tabs: (['upcoming', 'past', ...(isMember ? ['mine'] : [])] as EventListTab[]).map((t) => ({ key: t, href: tabHref(t), current: t === tab })),
      result: { ...result, items: result.items.map((i) => ({ ...i, fee: yen(i.feeYen) })) },
      categories: EVENT_CATEGORIES,
      formats: EVENT_FORMATS,
      filtered,
      monthPlaceholder: zonedMonth(new Date(), timeZone),
      zone: zoneLabel(timeZone, req.locale),
      isMember,
      pager: pageLinks('/events', linkQuery, result.page, result.pages),
    };
  }

  @Get(':id')
  @Access('public')
  @Render('events/event')
  async detail(@Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = viewerOf(req);
    const event = await this.queries.execute(new GetEventQuery(viewer, id)).catch((e: unknown) => {
      // A visitor following a link to a members' event is asked to sign in (for any id, so nothing is revealed).
      if (!viewer && e instanceof EventNotFoundError) throw new UnauthorizedException();
      throw e;
    });
    const timeZone = zoneOf(res);
    const isMember = AccessPolicy.isMember(viewer);
    // The bell's notices about this event (confirmed, promoted, reminders, changes) have been seen.
    if (isMember) await countOutOnPage(req, NOTIFICATIONS_BADGE, () => this.commands.execute(new MarkNotificationsReadByLinkCommand(viewer!, [`/events/${id}`])));
    const mine = event.myRegistration;
    // Content's reports of this event (published, that the viewer may see); the page stands without them.
    const reports = await this.queries.execute(new ListEventReportsQuery(viewer, id, req.locale === 'en' ? 'en' : 'ja')).catch((e: unknown) => {
      this.logger.warn(`reports of event ${id} left out: ${(e as Error).message}`);
      return [] as ContentCardView[];
    });
    return {
      title: event.title,
      titleIsText: true,
      event: { ...event, description: new SafeHtml(event.descriptionHtml), fee: yen(event.feeYen) },
      isMember,
      // Registering is offered while it is open and the member has no active registration.
      canRegister: isMember && event.registrationOpen && !mine,
      canCancel: !!mine && !event.started && event.state !== 'cancelled',
      full: event.seatsLeft !== null && (event.seatsLeft === 0 || event.waitlistCount > 0),
      companionOptions: Array.from({ length: event.maxCompanions + 1 }, (_, n) => n),
      zone: zoneLabel(timeZone, req.locale),
      eventZone: zoneLabel(event.timeZone, req.locale),
      otherZone: timeZone !== event.timeZone,
      reports: reports.map((r) => ({ ...r, publishedIso: r.publishedAt ? new Date(r.publishedAt).toISOString() : null })),
      // Members write a report once the event is over.
      canWriteReport: isMember && event.ended && event.state === 'published',
    };
  }

  @Post(':id/register')
  @FormPage('/events/:id')
  @Access('member')
  async register(@Param('id') id: string, @Body() body: RegisterRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const result = await this.commands.execute(new RegisterForEventCommand(req.user as Viewer, id, body.companions ?? 0));
    flash(req, 'success', result.state === 'confirmed' ? 'events.flash.confirmed' : 'events.flash.waitlisted');
    res.redirect(303, `/events/${id}`);
  }

  @Post(':id/cancel-registration')
  @FormPage('/events/:id')
  @Access('member')
  async cancel(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new CancelRegistrationCommand(req.user as Viewer, id));
    flash(req, 'success', 'events.flash.cancelled');
    res.redirect(303, `/events/${id}`);
  }
}
