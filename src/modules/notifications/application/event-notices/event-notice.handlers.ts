import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import {
  EventsEvents,
  type EventCancelledEvent,
  type EventChangedEvent,
  type RegistrationEvent,
  type ReminderDueEvent,
} from '@modules/events/contracts';
import { EventNoticeSender, type Recipient } from './event-notice-sender';
import { formatEventTimes } from './event-times';

/** The fields of an event whose change members are told about, in the order they are listed. */
export const NOTIFIED_CHANGES = ['startsAt', 'endsAt', 'format', 'place', 'onlineUrl'] as const;

/** Confirmed at registration: a site notification (the page already said so; no mail). */
@Injectable()
@OnIntegrationEvent(EventsEvents.registrationConfirmed)
export class NotifyMemberOnRegistrationConfirmedHandler implements IntegrationEventHandler<RegistrationEvent> {
  constructor(private readonly notices: EventNoticeSender) {}

  async handle(e: RegistrationEvent, tx: EntityManager): Promise<void> {
    const event = await this.notices.event(e.communityEventId);
    if (!event) return;
    await this.notices.send(tx, { memberId: e.memberId, event, kind: 'registration-confirmed', key: `registration-confirmed:${e.eventId}` });
  }
}

/** Waitlisted at registration: a site notification (no mail). */
@Injectable()
@OnIntegrationEvent(EventsEvents.registrationWaitlisted)
export class NotifyMemberOnRegistrationWaitlistedHandler implements IntegrationEventHandler<RegistrationEvent> {
  constructor(private readonly notices: EventNoticeSender) {}

  async handle(e: RegistrationEvent, tx: EntityManager): Promise<void> {
    const event = await this.notices.event(e.communityEventId);
    if (!event) return;
    await this.notices.send(tx, { memberId: e.memberId, event, kind: 'registration-waitlisted', key: `registration-waitlisted:${e.eventId}` });
  }
}

/** A seat freed up and the waitlisted member has it: mail and site notification. */
@Injectable()
@OnIntegrationEvent(EventsEvents.registrationPromoted)
export class NotifyMemberOnRegistrationPromotedHandler implements IntegrationEventHandler<RegistrationEvent> {
  constructor(private readonly notices: EventNoticeSender) {}

  async handle(e: RegistrationEvent, tx: EntityManager): Promise<void> {
    const event = await this.notices.event(e.communityEventId);
    if (!event || event.state === 'cancelled') return;
    await this.notices.send(tx, { memberId: e.memberId, event, kind: 'registration-promoted', key: `registration-promoted:${e.eventId}`, mail: { template: 'event-promoted' } });
  }
}

/** Start, end, format, place or online URL changed: mail and site notification to each registered member. */
@Injectable()
@OnIntegrationEvent(EventsEvents.eventChanged)
export class NotifyMembersOnEventChangedHandler implements IntegrationEventHandler<EventChangedEvent> {
  constructor(private readonly notices: EventNoticeSender) {}

  async handle(e: EventChangedEvent, tx: EntityManager): Promise<void> {
    const changed = NOTIFIED_CHANGES.filter((f) => e.changed.includes(f));
    if (changed.length === 0) return;
    const event = await this.notices.event(e.communityEventId);
    if (!event) return;
    const lines = (r: Recipient) => {
      const out: string[] = [];
      if (changed.includes('startsAt') || changed.includes('endsAt')) {
        out.push(this.notices.t(r.locale, 'notifications.changes.when', { when: formatEventTimes(event.startsAt, event.endsAt, r.locale, r.timeZone) }));
      }
      if (changed.includes('format')) out.push(this.notices.t(r.locale, 'notifications.changes.format', { format: this.notices.t(r.locale, `notifications.formats.${event.format}`) }));
      if (changed.includes('place')) out.push(this.notices.t(r.locale, 'notifications.changes.place', { place: event.place || this.notices.t(r.locale, 'notifications.changes.noPlace') }));
      if (changed.includes('onlineUrl')) out.push(this.notices.t(r.locale, 'notifications.changes.onlineUrl'));
      return out;
    };
    for (const memberId of new Set(e.memberIds)) {
      await this.notices.send(tx, {
        memberId,
        event,
        kind: 'event-changed',
        params: { changed: changed.join(',') },
        key: `event-changed:${e.eventId}:${memberId}`,
        mail: { template: 'event-changed', data: (r) => ({ changes: lines(r) }) },
      });
    }
  }
}

/** The event is cancelled: mail and site notification to each registered member, with the reason. */
@Injectable()
@OnIntegrationEvent(EventsEvents.eventCancelled)
export class NotifyMembersOnEventCancelledHandler implements IntegrationEventHandler<EventCancelledEvent> {
  constructor(private readonly notices: EventNoticeSender) {}

  async handle(e: EventCancelledEvent, tx: EntityManager): Promise<void> {
    const event = await this.notices.event(e.communityEventId);
    if (!event) return;
    const reason = (e.reason ?? event.cancelReason ?? '').trim();
    for (const memberId of new Set(e.memberIds)) {
      await this.notices.send(tx, {
        memberId,
        event,
        kind: reason ? 'event-cancelled' : 'event-cancelled-no-reason',
        params: reason ? { reason } : {},
        key: `event-cancelled:${e.communityEventId}:${memberId}`,
        mail: { template: 'event-cancelled', data: () => ({ reason }) },
      });
    }
  }
}

/**
 * One member's reminder, 24 h or 1 h before the start: mail and site notification. Its keys name the registration,
 * kind and start time, so a reminder found again is not sent again; one for a start time that has since moved, or
 * for an event no longer published, is dropped.
 */
@Injectable()
@OnIntegrationEvent(EventsEvents.reminderDue)
export class RemindMemberOnReminderDueHandler implements IntegrationEventHandler<ReminderDueEvent> {
  constructor(private readonly notices: EventNoticeSender) {}

  async handle(e: ReminderDueEvent, tx: EntityManager): Promise<void> {
    const event = await this.notices.event(e.communityEventId);
    if (!event || event.state !== 'published' || event.startsAt.getTime() !== new Date(e.startsAt).getTime()) return;
    await this.notices.send(tx, {
      memberId: e.memberId,
      event,
      kind: `reminder-${e.kind}`,
      key: `event-reminder:${e.registrationId}:${e.kind}:${event.startsAt.getTime()}`,
      mail: { template: 'event-reminder', data: () => ({ soon: e.kind === '1h' }) },
    });
  }
}
