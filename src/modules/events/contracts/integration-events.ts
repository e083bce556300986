import type { IntegrationEvent } from '@libs/outbox/integration-event';
import type { ReminderKind } from './views';

export const EventsEvents = {
  eventPublished: 'events.event-published',
  /** Start, end, place or online URL changed on a published event. */
  eventChanged: 'events.event-changed',
  eventCancelled: 'events.event-cancelled',
  registrationConfirmed: 'events.registration-confirmed',
  registrationWaitlisted: 'events.registration-waitlisted',
  /** A waitlisted member got a seat. */
  registrationPromoted: 'events.registration-promoted',
  registrationCancelled: 'events.registration-cancelled',
  /** One reminder for one registration; its event id is deterministic, so it is handled once. */
  reminderDue: 'events.reminder-due',
} as const;

export interface EventPublishedEvent extends IntegrationEvent {
  type: typeof EventsEvents.eventPublished;
  eventId: string;
}

export interface EventChangedEvent extends IntegrationEvent {
  type: typeof EventsEvents.eventChanged;
  eventId: string;
  /** Which of startsAt, endsAt, place, onlineUrl, format changed. */
  changed: string[];
  /** Members registered (confirmed or waitlisted) when it changed. */
  memberIds: string[];
}

export interface EventCancelledEvent extends IntegrationEvent {
  type: typeof EventsEvents.eventCancelled;
  eventId: string;
  reason: string | null;
  memberIds: string[];
}

export interface RegistrationEvent extends IntegrationEvent {
  type:
    | typeof EventsEvents.registrationConfirmed
    | typeof EventsEvents.registrationWaitlisted
    | typeof EventsEvents.registrationPromoted
    | typeof EventsEvents.registrationCancelled;
  eventId: string;
  registrationId: string;
  memberId: string;
}

export interface ReminderDueEvent extends IntegrationEvent {
  type: typeof EventsEvents.reminderDue;
  eventId: string;
  registrationId: string;
  memberId: string;
  kind: ReminderKind;
  /** The start time the reminder is for (ISO). */
  startsAt: string;
}
