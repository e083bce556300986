// Operators: create, edit, publish, cancel events; attendees, CSV, check-in, attendance.
import { Command, Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { EventCategory, EventFormat, EventState, EventVisibility, RegistrationState } from './views';

/**
 * An event as an operator enters it. Dates are local date-times ('2026-12-05T18:30') in `timeZone` (Asia/Tokyo when
 * empty) and are stored as UTC. Numbers may arrive as typed; every rule is checked by the command.
 */
export interface EventInput {
  title: string;
  category: string;
  format: string;
  visibility: string;
  timeZone?: string | null;
  startsAt: string;
  endsAt: string;
  /** Registration closes then; empty means at the start. */
  deadlineAt?: string | null;
  place?: string | null;
  onlineUrl?: string | null;
  feeYen?: number | string | null;
  paymentNote?: string | null;
  /** Seats, companions included; empty means no limit. */
  capacity?: number | string | null;
  maxCompanions?: number | string | null;
  /** Markdown. */
  description?: string | null;
  notes?: string | null;
  organiserName: string;
}

/** Creates a draft (members see it once it is published). */
export class CreateEventCommand extends Command<{ eventId: string }> {
  constructor(readonly actor: Viewer, readonly input: EventInput) {
    super();
  }
}

/**
 * Changes an event (not a cancelled one). On a published event a changed start, end, place, online URL or format
 * tells the registered members (events.event-changed); a raised capacity gives seats to the waitlist at once.
 * A capacity below the seats already confirmed is refused.
 */
export class UpdateEventCommand extends Command<{ changed: string[]; promoted: number }> {
  constructor(readonly actor: Viewer, readonly eventId: string, readonly input: EventInput) {
    super();
  }
}

/** Publishes a draft (the NEW badge counts from now). Publishing a published event changes nothing. */
export class PublishEventCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly eventId: string) {
    super();
  }
}

/** Cancels an event; registrations are kept and the registered members are told with the reason. */
export class CancelEventCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly eventId: string, readonly reason: string) {
    super();
  }
}

/** Marks a confirmed registration of the event as arrived; doing it twice changes nothing. */
export class CheckInCommand extends Command<{ alreadyCheckedIn: boolean }> {
  constructor(readonly actor: Viewer, readonly eventId: string, readonly registrationId: string) {
    super();
  }
}

export class UndoCheckInCommand extends Command<void> {
  constructor(readonly actor: Viewer, readonly eventId: string, readonly registrationId: string) {
    super();
  }
}

/** Demo events with registrations for the demo community (does nothing once any event exists). */
export class SeedDemoEventsCommand extends Command<{ created: number }> {
  constructor() {
    super();
  }
}

export const OPERATOR_EVENT_TABS = ['upcoming', 'drafts', 'past', 'cancelled'] as const;
export type OperatorEventTab = (typeof OPERATOR_EVENT_TABS)[number];

export interface OperatorEventSummaryView {
  eventId: string;
  title: string;
  category: EventCategory;
  format: EventFormat;
  state: EventState;
  visibility: EventVisibility;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  capacity: number | null;
  confirmedSeats: number;
  /** Confirmed registrations (members; their companions are in confirmedSeats). */
  confirmed: number;
  waitlisted: number;
  checkedIn: number;
  /** Checked in / confirmed in percent, for events that have started; null before, or with nobody confirmed. */
  attendanceRate: number | null;
  publishedAt: Date | null;
  cancelledAt: Date | null;
}

export interface OperatorEventPage {
  tab: OperatorEventTab;
  items: OperatorEventSummaryView[];
  counts: Record<OperatorEventTab, number>;
  page: number;
  pages: number;
  total: number;
}

/** Upcoming (published, not ended), drafts, past (published, ended) or cancelled events, 20 a page. */
export class ListEventsForOperatorsQuery extends Query<OperatorEventPage> {
  constructor(readonly actor: Viewer, readonly tab: OperatorEventTab = 'upcoming', readonly page = 1) {
    super();
  }
}

/** The event's form values (dates as local date-times in its time zone) and its state. */
export interface EventEditView {
  eventId: string;
  state: EventState;
  values: {
    title: string;
    category: EventCategory;
    format: EventFormat;
    visibility: EventVisibility;
    timeZone: string;
    startsAt: string;
    endsAt: string;
    deadlineAt: string;
    place: string;
    onlineUrl: string;
    feeYen: number;
    paymentNote: string;
    capacity: number | null;
    maxCompanions: number;
    description: string;
    notes: string;
    organiserName: string;
  };
  startsAt: Date;
  endsAt: Date;
  confirmedSeats: number;
  waitlistCount: number;
  publishedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export class GetEventForEditQuery extends Query<EventEditView> {
  constructor(readonly actor: Viewer, readonly eventId: string) {
    super();
  }
}

export interface AttendeeView {
  registrationId: string;
  memberId: string;
  displayName: string;
  state: Exclude<RegistrationState, 'cancelled'>;
  companions: number;
  /** 1, 2, … for waitlisted registrations, in order of arrival; null for confirmed ones. */
  waitlistPosition: number | null;
  registeredAt: Date;
  checkedInAt: Date | null;
}

export interface AttendeeListView {
  event: OperatorEventSummaryView;
  /** Confirmed first, then the waitlist, each in order of arrival (filtered by `q` when given). */
  attendees: AttendeeView[];
  /** Seats held by checked-in registrations (members and companions). */
  checkedInSeats: number;
}

/**
 * The attendees of an event (confirmed, then waitlisted, in order of arrival) with names in `locale`; `q` keeps
 * those whose name contains the words (width, case and kana folded). Also the rows of the CSV export.
 */
export class ListAttendeesQuery extends Query<AttendeeListView> {
  constructor(readonly actor: Viewer, readonly eventId: string, readonly locale: 'ja' | 'en', readonly q?: string) {
    super();
  }
}
