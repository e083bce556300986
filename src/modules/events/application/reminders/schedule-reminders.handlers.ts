import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnIntegrationEvent, type IntegrationEventHandler } from '@libs/outbox/integration-event-handler';
import { EventsEvents, type EventChangedEvent, type EventPublishedEvent } from '../../contracts/integration-events';
import { Event } from '../../domain/event.entity';
import { scheduleReminders } from './schedule-reminders';

/** A published event gets its reminder jobs (24 h and 1 h before the start, those still ahead). */
@Injectable()
@OnIntegrationEvent(EventsEvents.eventPublished)
export class ScheduleRemindersOnEventPublishedHandler implements IntegrationEventHandler<EventPublishedEvent> {
  async handle(e: EventPublishedEvent, tx: EntityManager): Promise<void> {
    const event = await tx.findOne(Event, { id: e.communityEventId });
    if (event) scheduleReminders(tx, event);
  }
}

/**
 * A moved start time gets new reminder jobs for the new time (their ids carry it). The old jobs stay and do nothing
 * when they run: they find the event no longer starts when they were scheduled for.
 */
@Injectable()
@OnIntegrationEvent(EventsEvents.eventChanged)
export class ScheduleRemindersOnEventChangedHandler implements IntegrationEventHandler<EventChangedEvent> {
  async handle(e: EventChangedEvent, tx: EntityManager): Promise<void> {
    if (!e.changed.includes('startsAt')) return;
    const event = await tx.findOne(Event, { id: e.communityEventId });
    if (event) scheduleReminders(tx, event);
  }
}
