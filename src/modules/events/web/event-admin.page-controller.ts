import { Body, Controller, Get, Logger, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { zoneLabel } from '@libs/calendar/zoned-time';
import { dateTimeFormat } from '@libs/calendar/date-format';
import { CSV_BOM, toCsvRow } from '@libs/csv/csv-writer';
import { messageCatalog, type Locale } from '@libs/i18n';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { pageLinks } from '@libs/web/pagination';
import { requestIdOf } from '@libs/web/request-id';
import { RequestValidationError } from '@libs/web/request-validation';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import {
  CancelEventCommand,
  CheckInCommand,
  CreateEventCommand,
  EVENT_CATEGORIES,
  EVENT_FORMATS,
  EVENT_VISIBILITIES,
  GetEventForEditQuery,
  ListAttendeesQuery,
  ListEventsForOperatorsQuery,
  OPERATOR_EVENT_TABS,
  PublishEventCommand,
  UndoCheckInCommand,
  UpdateEventCommand,
  type AttendeeListView,
  type EventEditView,
  type EventInput,
} from '../contracts';
import { EVENT_LIMITS, EVENT_TIME_ZONES, EventInputError } from '../domain/event-schedule';
import { CancelEventRequest, CheckInQuery, CheckInRequest, EventFormRequest, EventListQuery } from './event-admin.request';

const uuid = () => new ParseUUIDPipe({ errorHttpStatusCode: 404 });

function toInput(body: EventFormRequest): EventInput {
  return {
    title: body.title ?? '',
    category: body.category ?? '',
    format: body.format ?? '',
    visibility: body.visibility ?? '',
    timeZone: body.timeZone,
    startsAt: body.startsAt ?? '',
    endsAt: body.endsAt ?? '',
    deadlineAt: body.deadlineAt,
    place: body.place,
    onlineUrl: body.onlineUrl,
    feeYen: body.feeYen,
    paymentNote: body.paymentNote,
    capacity: body.capacity,
    maxCompanions: body.maxCompanions,
    description: body.description,
    notes: body.notes,
    organiserName: body.organiserName ?? '',
  };
}

/** Every problem of the form at its field (the command names the first; the form shows them all). */
async function withFieldErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof EventInputError) throw new RequestValidationError(e.problems);
    throw e;
  }
}

/** Time in the viewer's zone, for the check-in page ("18:42"). */
function clock(date: Date, timeZone: string): string {
  return dateTimeFormat('ja-JP', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

function csvDateTime(timeZone: string): (d: Date | null) => string {
  const format = dateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (d) => (d ? format.format(d) : '');
}

/**
 * Operators' side of Events (HR console): the event list by state, the form to create and edit, publish and cancel,
 * the attendee list with its CSV export (audit-logged), and the check-in page for the day, made for a phone.
 */
@ApiExcludeController()
@Controller('admin/events')
export class EventAdminPageController {
  private readonly logger = new Logger(EventAdminPageController.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private formOptions(locale: Locale, currentZone: string) {
    const catalog = messageCatalog();
    const zones: string[] = [...EVENT_TIME_ZONES];
    if (!zones.includes(currentZone)) zones.push(currentZone);
    return {
      categories: EVENT_CATEGORIES.map((value) => ({ value, label: catalog.t(locale, `events.category.${value}`) })),
      formats: EVENT_FORMATS.map((value) => ({ value, label: catalog.t(locale, `events.format.${value}`) })),
      visibilities: EVENT_VISIBILITIES.map((value) => ({ value, label: catalog.t(locale, `events.admin.visibility.${value}`) })),
      zones: zones.map((value) => ({ value, label: zoneLabel(value, locale) })),
      limits: EVENT_LIMITS,
    };
  }

  @Get()
  @Access('operator')
  @Render('events/admin-events')
  async list(@Query() query: EventListQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const tab = query.state ?? 'upcoming';
    const result = await this.queries.execute(new ListEventsForOperatorsQuery(req.user as Viewer, tab, query.page ?? 1));
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    return {
      title: 'events.admin.list.title',
      section: 'events',
      result,
      tabs: OPERATOR_EVENT_TABS.map((t) => ({ tab: t, count: result.counts[t], href: t === 'upcoming' ? '/admin/events' : `/admin/events?state=${t}`, current: t === result.tab })),
      pager: pageLinks('/admin/events', { state: result.tab === 'upcoming' ? undefined : result.tab }, result.page, result.pages),
      zoneName: zoneLabel(timeZone, req.locale),
    };
  }

  @Get('new')
  @Access('operator')
  @Render('events/admin-event-form')
  newForm(@Req() req: Request) {
    return {
      title: 'events.admin.form.newTitle',
      section: 'events',
      isNew: true,
      action: '/admin/events',
      values: { category: 'online-meetup', format: 'onsite', visibility: 'members', timeZone: 'Asia/Tokyo', feeYen: 0, maxCompanions: 0 },
      ...this.formOptions(req.locale, 'Asia/Tokyo'),
    };
  }

  @Post()
  @FormPage('/admin/events/new')
  @Access('operator')
  async create(@Body() body: EventFormRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { eventId } = await withFieldErrors(this.commands.execute(new CreateEventCommand(req.user as Viewer, toInput(body))));
    flash(req, 'success', 'events.admin.flash.created');
    res.redirect(303, `/admin/events/${eventId}/edit`);
  }

  @Get(':id/edit')
  @Access('operator')
  @Render('events/admin-event-form')
  async edit(@Param('id', uuid()) id: string, @Req() req: Request) {
    const event: EventEditView = await this.queries.execute(new GetEventForEditQuery(req.user as Viewer, id));
    return {
      title: 'events.admin.form.editTitle',
      section: 'events',
      isNew: false,
      action: `/admin/events/${id}`,
      event,
      values: event.values,
      ...this.formOptions(req.locale, event.values.timeZone),
    };
  }

  @Post(':id')
  @FormPage('/admin/events/:id/edit')
  @Access('operator')
  async update(@Param('id', uuid()) id: string, @Body() body: EventFormRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { changed, promoted } = await withFieldErrors(this.commands.execute(new UpdateEventCommand(req.user as Viewer, id, toInput(body))));
    const event = await this.queries.execute(new GetEventForEditQuery(req.user as Viewer, id));
    const notified = event.state === 'published' && changed.length > 0;
    flash(req, 'success', promoted > 0 ? 'events.admin.flash.savedPromoted' : notified ? 'events.admin.flash.savedNotified' : 'events.admin.flash.saved');
    res.redirect(303, `/admin/events/${id}/edit`);
  }

  @Post(':id/publish')
  @FormPage('/admin/events/:id/edit')
  @Access('operator')
  async publish(@Param('id', uuid()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new PublishEventCommand(req.user as Viewer, id));
    flash(req, 'success', 'events.admin.flash.published');
    res.redirect(303, `/admin/events/${id}/edit`);
  }

  @Post(':id/cancel')
  @FormPage('/admin/events/:id/edit')
  @Access('operator')
  async cancel(@Param('id', uuid()) id: string, @Body() body: CancelEventRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new CancelEventCommand(req.user as Viewer, id, body.reason ?? ''));
    flash(req, 'success', 'events.admin.flash.cancelled');
    res.redirect(303, `/admin/events/${id}/edit`);
  }

  @Get(':id/attendees')
  @Access('operator')
  @Render('events/admin-event-attendees')
  async attendees(@Param('id', uuid()) id: string, @Req() req: Request) {
    const list: AttendeeListView = await this.queries.execute(new ListAttendeesQuery(req.user as Viewer, id, req.locale));
    const { event } = list;
    return {
      titleIsText: true,
      title: `${messageCatalog().t(req.locale, 'events.admin.attendees.title')} — ${event.title}`,
      section: 'events',
      list,
      event,
      seatsLeft: event.capacity === null ? null : Math.max(0, event.capacity - event.confirmedSeats),
      started: event.startsAt.getTime() <= Date.now(),
    };
  }

  @Get(':id/attendees.csv')
  @Access('operator')
  async attendeesCsv(@Param('id', uuid()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const list: AttendeeListView = await this.queries.execute(new ListAttendeesQuery(viewer, id, req.locale));
    const catalog = messageCatalog();
    const t = (key: string, params?: Record<string, unknown>) => catalog.t(req.locale, key, params);
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const when = csvDateTime(timeZone);
    const header = [
      t('events.admin.attendees.columns.number'),
      t('events.admin.csv.memberId'),
      t('events.admin.attendees.columns.name'),
      t('events.admin.attendees.columns.state'),
      t('events.admin.attendees.columns.waitlistPosition'),
      t('events.admin.attendees.columns.companions'),
      t('events.admin.attendees.columns.registeredAt'),
      t('events.admin.attendees.columns.checkedInAt'),
    ];
    let body = CSV_BOM + toCsvRow(header);
    list.attendees.forEach((a, i) => {
      body += toCsvRow([i + 1, a.memberId, a.displayName, t(`events.admin.registrationState.${a.state}`), a.waitlistPosition, a.companions, when(a.registeredAt), when(a.checkedInAt)]);
    });
    // A list of people's names leaves the site: recorded before it is sent.
    await this.commands.execute(
      new RecordAuditEventCommand(viewer, 'event.attendees-exported', { detail: { event: list.event.title, rows: list.attendees.length }, requestId: requestIdOf(req) }),
    );
    const stamp = when(new Date()).replace(/[-:]/g, '').replace(' ', '-');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="event-attendees-${stamp}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  }

  @Get(':id/check-in')
  @Access('operator')
  @Render('events/admin-event-check-in')
  async checkInPage(@Param('id', uuid()) id: string, @Query() query: CheckInQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = req.user as Viewer;
    const list: AttendeeListView = await this.queries.execute(new ListAttendeesQuery(viewer, id, req.locale, query.q));
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const confirmed = list.attendees.filter((a) => a.state === 'confirmed').map((a) => ({ ...a, time: a.checkedInAt ? clock(a.checkedInAt, timeZone) : null }));
    return {
      titleIsText: true,
      title: `${messageCatalog().t(req.locale, 'events.admin.checkIn.title')} — ${list.event.title}`,
      section: 'events',
      event: list.event,
      attendees: confirmed,
      q: query.q ?? '',
      waitlisted: list.event.waitlisted,
      cancelled: list.event.state === 'cancelled',
    };
  }

  private backToCheckIn(id: string, registrationId: string, q?: string): string {
    return `/admin/events/${id}/check-in${q ? `?q=${encodeURIComponent(q)}` : ''}#r-${registrationId}`;
  }

  @Post(':id/check-in/:registrationId')
  @FormPage('/admin/events/:id/check-in')
  @Access('operator')
  async checkIn(
    @Param('id', uuid()) id: string,
    @Param('registrationId', uuid()) registrationId: string,
    @Body() body: CheckInRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { alreadyCheckedIn } = await this.commands.execute(new CheckInCommand(req.user as Viewer, id, registrationId));
    flash(req, alreadyCheckedIn ? 'info' : 'success', alreadyCheckedIn ? 'events.admin.checkIn.already' : 'events.admin.checkIn.checkedIn');
    res.redirect(303, this.backToCheckIn(id, registrationId, body.q));
  }

  @Post(':id/check-in/:registrationId/undo')
  @FormPage('/admin/events/:id/check-in')
  @Access('operator')
  async undoCheckIn(
    @Param('id', uuid()) id: string,
    @Param('registrationId', uuid()) registrationId: string,
    @Body() body: CheckInRequest,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.commands.execute(new UndoCheckInCommand(req.user as Viewer, id, registrationId));
    flash(req, 'success', 'events.admin.checkIn.undone');
    res.redirect(303, this.backToCheckIn(id, registrationId, body.q));
  }
}
