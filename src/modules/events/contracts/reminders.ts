import { Query } from '@nestjs/cqrs';
import type { EventFormat, EventState } from './views';

// Reminders before the start (scheduling is internal; see application/reminders) and what notices need of an event.

/** Events' own BullMQ queues (the worker processes them; the queue dashboard lists them). */
export const EVENTS_QUEUES = {
  /** Event-level reminder jobs (delayed until 24 h / 1 h before the start) and the reminder sweeper. */
  reminders: 'event-reminders',
} as const;

/** What a notice about an event says of it (mail and site notification). */
export interface EventSummaryView {
  id: string;
  title: string;
  state: EventState;
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  /** The zone the event is announced in. */
  timeZone: string;
  place: string | null;
  cancelReason: string | null;
}

/** An event's summary for notices, or null when there is no such event. No visibility check: callers are notices. */
export class GetEventSummaryQuery extends Query<EventSummaryView | null> {
  constructor(readonly communityEventId: string) {
    super();
  }
}
