import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NavRegistry } from '@libs/web/nav-registry';
import { CalendarController } from './calendar.controller';
import { EventsPageController } from './events.page-controller';
import { EventAdminPageController } from './event-admin.page-controller';

/** Events pages for members (/events) and operators (/admin/events), and the calendar files. */
@Module({
  imports: [CqrsModule],
  controllers: [EventsPageController, CalendarController, EventAdminPageController],
})
export class EventsWebModule implements OnModuleInit {
  constructor(private readonly nav: NavRegistry) {}

  onModuleInit(): void {
    this.nav.register({ href: '/events', label: 'events.nav', access: 'member', order: 7 });
  }
}
