import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EVENT_ADMIN_HANDLERS } from './application/event-admin';
import { EVENT_LISTING_HANDLERS } from './application/event-listing';
import { GetHomeEventsHandler } from './application/home/get-home-events.handler';
import { REGISTRATION_HANDLERS } from './application/registration';
import { REMINDER_HANDLERS } from './application/reminders';
import { CalendarFeed } from './domain/calendar-feed.entity';
import { Event } from './domain/event.entity';
import { Registration } from './domain/registration.entity';

export const EVENTS_ENTITIES = [Event, Registration, CalendarFeed];

/** Events: operators publish them, members find them, register (with a fair waitlist), get reminded, check in. */
@Module({
  imports: [CqrsModule, MikroOrmModule.forFeature(EVENTS_ENTITIES)],
  providers: [...EVENT_ADMIN_HANDLERS, ...EVENT_LISTING_HANDLERS, ...REGISTRATION_HANDLERS, ...REMINDER_HANDLERS, GetHomeEventsHandler],
})
export class EventsModule {}
