// The events block on a member's home page.
import { Query } from '@nestjs/cqrs';
import type { Viewer } from '@libs/security/access-policy';
import type { EventCategory, EventFormat, EventState, RegistrationState } from './views';

/** How many upcoming events, and how many of the viewer's own registrations, the home page shows. */
export const HOME_EVENTS_LIMIT = 3;
export const HOME_MY_EVENTS_LIMIT = 5;

export interface HomeEventView {
  id: string;
  title: string;
  category: EventCategory;
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  state: EventState;
  /** null without a limit. */
  seatsLeft: number | null;
  registrationOpen: boolean;
  /** The viewer's own registration, if any. */
  myState: Exclude<RegistrationState, 'cancelled'> | null;
  /** 1-based place on the waitlist; null unless waitlisted. */
  waitlistPosition: number | null;
}

export interface HomeEventsView {
  /** The next published events that have not started, that the viewer's status may see, soonest first. */
  upcoming: HomeEventView[];
  /** The viewer's confirmed and waitlisted registrations for events that have not ended, soonest first. */
  mine: HomeEventView[];
}

/** The events block of the viewer's home page (index-backed: the event listing index and the registration's member index). */
export class GetHomeEventsQuery extends Query<HomeEventsView> {
  constructor(readonly viewer: Viewer) {
    super();
  }
}
