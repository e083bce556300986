import type { IntegrationEvent } from '@libs/outbox/integration-event';
import type { ReminderKind } from './views';

/*
 * Every Events integration event names the event it is about `communityEventId`: `eventId` is the integration event's
 * own id (libs/outbox), which the outbox uses as the BullMQ job id and the handlers' processed-job key.
 */
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
  communityEventId: string;
}

export interface EventChangedEvent extends IntegrationEvent {
  type: typeof EventsEvents.eventChanged;
  communityEventId: string;
  /** Which of startsAt, endsAt, place, onlineUrl, format changed. */
  changed: string[];
  /** Members registered (confirmed or waitlisted) when it changed. */
  memberIds: string[];
}

export interface EventCancelledEvent extends IntegrationEvent {
  type: typeof EventsEvents.eventCancelled;
  communityEventId: string;
  reason: string | null;
  memberIds: string[];
}

export interface RegistrationEvent extends IntegrationEvent {
  type:
    | typeof EventsEvents.registrationConfirmed
    | typeof EventsEvents.registrationWaitlisted
    | typeof EventsEvents.registrationPromoted
    | typeof EventsEvents.registrationCancelled;
  communityEventId: string;
  registrationId: string;
  memberId: string;
}

export interface ReminderDueEvent extends IntegrationEvent {
  type: typeof EventsEvents.reminderDue;
  communityEventId: string;
  registrationId: string;
  memberId: string;
  kind: ReminderKind;
  /** The start time the reminder is for (ISO). */
  startsAt: string;
}
