import { createHash, randomBytes } from 'node:crypto';
import { CommandHandler, QueryBus, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig } from '@libs/config';
import { writeCalendar, type IcsEvent } from '@libs/calendar/ics';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetAccountQuery } from '@modules/membership/contracts';
import {
  CreateCalendarFeedCommand,
  GetCalendarFeedFileQuery,
  GetCalendarFeedQuery,
  GetEventCalendarQuery,
  RevokeCalendarFeedCommand,
  type CalendarFeedView,
  type CalendarFileView,
} from '../../contracts';
import { CalendarFeed } from '../../domain/calendar-feed.entity';
import { Event } from '../../domain/event.entity';
import { canSeeEvent } from '../../domain/event-visibility';
import { CalendarFeedNotFoundError, EventNotFoundError } from '../../domain/events.errors';
import { isUuid } from '@libs/ddd/ids';
import { Registration } from '../../domain/registration.entity';

const PROD_ID = '-//Kizuna//Events//JA';
/** The feed lists registrations for events that ended at most this long ago, and everything ahead. */
const FEED_PAST_DAYS = 180;
const FEED_MAX_EVENTS = 500;

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** One event as a VEVENT: the online URL only for a confirmed participant (or an operator). */
export function eventToIcs(event: Event, baseUrl: string, registration: Registration | null, viewer: Viewer | null): IcsEvent {
  const confirmed = registration?.state === 'confirmed';
  const url = `${baseUrl}/events/${event.id}`;
  const showOnline = (confirmed || AccessPolicy.isOperator(viewer)) && !!event.onlineUrl && event.state !== 'cancelled';
  const description = [event.description.trim(), event.notes?.trim(), showOnline && event.place ? event.onlineUrl : null, url].filter(Boolean).join('\n\n');
  return {
    uid: `event-${event.id}@${new URL(baseUrl).host}`,
    sequence: event.calendarSequence,
    start: event.startsAt,
    end: event.endsAt,
    summary: event.title,
    description,
    location: event.place ?? (showOnline ? event.onlineUrl : null),
    url,
    lastModified: event.updatedAt,
    status: event.state === 'cancelled' ? 'CANCELLED' : registration?.state === 'waitlisted' ? 'TENTATIVE' : 'CONFIRMED',
  };
}

@QueryHandler(GetEventCalendarQuery)
export class GetEventCalendarHandler implements IQueryHandler<GetEventCalendarQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  async execute({ viewer, eventId }: GetEventCalendarQuery): Promise<CalendarFileView> {
    if (!isUuid(eventId)) throw new EventNotFoundError();
    const event = await this.em.findOne(Event, { id: eventId });
    if (!event || event.state === 'draft' || !canSeeEvent(viewer, event)) throw new EventNotFoundError();
    const registration = viewer ? await this.em.findOne(Registration, { eventId, memberId: viewer.memberId, state: { $ne: 'cancelled' } }) : null;
    const ics = writeCalendar({ prodId: PROD_ID, now: new Date(), events: [eventToIcs(event, this.config.baseUrl, registration, viewer)] });
    return { fileName: `event-${event.id}.ics`, ics };
  }
}

@QueryHandler(GetCalendarFeedQuery)
export class GetCalendarFeedHandler implements IQueryHandler<GetCalendarFeedQuery> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: GetCalendarFeedQuery): Promise<CalendarFeedView> {
    const feed = await this.em.findOne(CalendarFeed, { memberId });
    return { exists: !!feed, createdAt: feed?.createdAt ?? null, lastUsedAt: feed?.lastUsedAt ?? null };
  }
}

@CommandHandler(CreateCalendarFeedCommand)
export class CreateCalendarFeedHandler implements ICommandHandler<CreateCalendarFeedCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: CreateCalendarFeedCommand): Promise<{ token: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.em.transactional(async (tx) => {
      await tx.nativeDelete(CalendarFeed, { memberId });
      tx.persist(new CalendarFeed(memberId, hashFeedToken(token)));
    });
    return { token };
  }
}

@CommandHandler(RevokeCalendarFeedCommand)
export class RevokeCalendarFeedHandler implements ICommandHandler<RevokeCalendarFeedCommand> {
  constructor(private readonly em: EntityManager) {}

  async execute({ memberId }: RevokeCalendarFeedCommand): Promise<void> {
    await this.em.nativeDelete(CalendarFeed, { memberId });
  }
}

@QueryHandler(GetCalendarFeedFileQuery)
export class GetCalendarFeedFileHandler implements IQueryHandler<GetCalendarFeedFileQuery> {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly queries: QueryBus,
  ) {}

  async execute({ token }: GetCalendarFeedFileQuery): Promise<CalendarFileView> {
    if (!/^[\w-]{20,100}$/.test(token)) throw new CalendarFeedNotFoundError();
    const feed = await this.em.findOne(CalendarFeed, { tokenHash: hashFeedToken(token) });
    if (!feed) throw new CalendarFeedNotFoundError();
    const account = await this.queries.execute(new GetAccountQuery(feed.memberId)).catch(() => null);
    const viewer: Viewer | null = account
      ? { memberId: account.memberId, status: account.status, role: account.role, displayName: account.displayName, locale: account.locale, sessionVersion: 0 }
      : null;
    // A member who is no longer an approved member (suspended, deleted) has no feed.
    if (!viewer || !AccessPolicy.isMember(viewer)) throw new CalendarFeedNotFoundError();

    const since = new Date(Date.now() - FEED_PAST_DAYS * 24 * 3600 * 1000);
    const registrations = await this.em.find(
      Registration,
      { memberId: feed.memberId, state: { $in: ['confirmed', 'waitlisted'] } },
      { orderBy: { registeredAt: 'desc' }, limit: FEED_MAX_EVENTS * 2 },
    );
    const events = registrations.length
      ? await this.em.find(Event, { id: { $in: registrations.map((r) => r.eventId) }, state: { $in: ['published', 'cancelled'] }, endsAt: { $gte: since } }, { orderBy: { startsAt: 'asc' }, limit: FEED_MAX_EVENTS })
      : [];
    const byEvent = new Map(registrations.map((r) => [r.eventId, r]));
    const now = new Date();
    if (!feed.lastUsedAt || now.getTime() - feed.lastUsedAt.getTime() > 3600 * 1000) {
      await this.em.nativeUpdate(CalendarFeed, { memberId: feed.memberId }, { lastUsedAt: now });
    }
    const ics = writeCalendar({
      prodId: PROD_ID,
      name: `${this.config.communityName}`,
      now,
      events: events.filter((e) => canSeeEvent(viewer, e)).map((e) => eventToIcs(e, this.config.baseUrl, byEvent.get(e.id) ?? null, viewer)),
    });
    return { fileName: 'kizuna-events.ics', ics };
  }
}
