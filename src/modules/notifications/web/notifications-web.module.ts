import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { HeaderBadgeRegistry } from '@libs/web/header-badges';
import { CountUnreadNotificationsQuery } from '../contracts';
import { NotificationsPageController } from './notifications.page-controller';

/** The bell in the header and the notifications page. */
@Module({
  imports: [CqrsModule],
  controllers: [NotificationsPageController],
})
export class NotificationsWebModule implements OnModuleInit {
  constructor(
    private readonly badges: HeaderBadgeRegistry,
    private readonly queries: QueryBus,
  ) {}

  onModuleInit(): void {
    this.badges.register({
      key: 'notifications',
      href: '/notifications',
      label: 'notifications.bell',
      labelWithCount: 'notifications.bellWithCount',
      access: 'member',
      order: 10,
      count: (viewer) => this.queries.execute(new CountUnreadNotificationsQuery(viewer)),
    });
  }
}
