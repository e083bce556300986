// Members: list, search and read events; the calendar (.ics and personal feed).
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { EventCategory, EventFormat, EventState, EventVisibility, RegistrationState } from './views';

export const EVENT_LIST_TABS = ['upcoming', 'past', 'mine'] as const;
export type EventListTab = (typeof EVENT_LIST_TABS)[number];

/** A NEW badge for events published this recently. */
export const NEW_BADGE_DAYS = 7;
export const EVENT_PAGE_SIZE = 20;

export interface EventListFilter {
  tab?: EventListTab;
  category?: EventCategory;
  format?: EventFormat;
  /** YYYY-MM in the viewer's time zone. */
  month?: string;
  q?: string;
}

export interface EventListItemView {
  id: string;
  title: string;
  category: EventCategory;
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  feeYen: number;
  capacity: number | null;
  /** null without a limit. */
  seatsLeft: number | null;
  waitlistCount: number;
  state: EventState;
  visibility: EventVisibility;
  organiserName: string;
  isNew: boolean;
  registrationOpen: boolean;
  /** The viewer's own registration (confirmed or waitlisted), if any. */
  myState: RegistrationState | null;
}

export interface EventListPage {
  items: EventListItemView[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  /** Normalised keyword words, for highlighting. */
  words: string[];
}

/** Events the viewer may see (any visitor: public events only), by tab, filters and keyword; 20 a page. */
export class ListEventsQuery extends Query<EventListPage> {
  constructor(
    readonly viewer: Viewer | null,
    readonly filter: EventListFilter,
    readonly page = 1,
    /** The viewer's time zone, for the month filter. */
    readonly timeZone = 'Asia/Tokyo',
  ) {
    super();
  }
}

export interface MyRegistrationView {
  registrationId: string;
  state: RegistrationState;
  companions: number;
  /** 1-based place on the waitlist; null unless waitlisted. */
  position: number | null;
  registeredAt: Date;
}

export interface EventDetailView {
  id: string;
  title: string;
  category: EventCategory;
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  place: string | null;
  /** Only for confirmed participants and operators. */
  onlineUrl: string | null;
  hasOnlineUrl: boolean;
  feeYen: number;
  paymentNote: string | null;
  capacity: number | null;
  seatsLeft: number | null;
  waitlistCount: number;
  /** When registration closes (the deadline, else the start). */
  closesAt: Date;
  deadlineAt: Date | null;
  registrationOpen: boolean;
  started: boolean;
  ended: boolean;
  /** The description rendered from Markdown and sanitised. */
  descriptionHtml: string;
  notes: string | null;
  organiserName: string;
  visibility: EventVisibility;
  maxCompanions: number;
  state: EventState;
  cancelReason: string | null;
  isNew: boolean;
  updatedAt: Date;
  myRegistration: MyRegistrationView | null;
}

/** One event for the viewer; not-found when it does not exist or the viewer may not see it. */
export class GetEventQuery extends Query<EventDetailView> {
  constructor(readonly viewer: Viewer | null, readonly eventId: string) {
    super();
  }
}

export interface CalendarFileView {
  fileName: string;
  /** text/calendar, RFC 5545. */
  ics: string;
}

/** The .ics of one event the viewer may see (the online URL as location only for a confirmed participant). */
export class GetEventCalendarQuery extends Query<CalendarFileView> {
  constructor(readonly viewer: Viewer | null, readonly eventId: string) {
    super();
  }
}

export interface CalendarFeedView {
  exists: boolean;
  createdAt: Date | null;
  lastUsedAt: Date | null;
}

export class GetCalendarFeedQuery extends Query<CalendarFeedView> {
  constructor(readonly memberId: string) {
    super();
  }
}

/** Makes a new secret feed address (the previous one stops working). Answers the token, shown to the member once. */
export class CreateCalendarFeedCommand extends Command<{ token: string }> {
  constructor(readonly memberId: string) {
    super();
  }
}

export class RevokeCalendarFeedCommand extends Command<void> {
  constructor(readonly memberId: string) {
    super();
  }
}

/**
 * The personal feed of the member whose token this is: the events they registered for (waitlisted ones as
 * TENTATIVE) that they may still see. Not-found for an unknown or revoked token.
 */
export class GetCalendarFeedFileQuery extends Query<CalendarFileView> {
  constructor(readonly token: string) {
    super();
  }
}
