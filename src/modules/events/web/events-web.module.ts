import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { NavRegistry } from '@libs/web/nav-registry';
import { GetHomeEventsQuery } from '../contracts';
import { CalendarController } from './calendar.controller';
import { EventsPageController } from './events.page-controller';
import { EventAdminPageController } from './event-admin.page-controller';

/** Events pages for members (/events) and operators (/admin/events), and the calendar files. */
@Module({
  imports: [CqrsModule],
  controllers: [EventsPageController, CalendarController, EventAdminPageController],
})
export class EventsWebModule implements OnModuleInit {
  constructor(
    private readonly nav: NavRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  onModuleInit(): void {
    this.nav.register({ href: '/events', label: 'events.nav', access: 'member', order: 7 });
    // The member's home page: the next events they may see and their own registrations.
    this.homeBlocks.register({ key: 'events', order: 20, access: 'member', partial: 'events/home-block', query: ({ viewer }) => new GetHomeEventsQuery(viewer) });
  }
}
