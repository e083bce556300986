import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { messageCatalog } from '@libs/i18n';
import { HeaderBadgeRegistry } from '@libs/web/header-badges';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { CountUnreadNotificationsQuery, GetHomeNotificationsQuery, NOTIFICATIONS_BADGE, type HomeNotificationsView } from '../contracts';
import { notificationText } from './notification-text';
import { NotificationsPageController } from './notifications.page-controller';

/** The bell in the header and the notifications page. */
@Module({
  imports: [CqrsModule],
  controllers: [NotificationsPageController],
})
export class NotificationsWebModule implements OnModuleInit {
  constructor(
    private readonly badges: HeaderBadgeRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
    private readonly queries: QueryBus,
  ) {}

  onModuleInit(): void {
    this.badges.register({
      key: NOTIFICATIONS_BADGE,
      href: '/notifications',
      label: 'notifications.bell',
      labelWithCount: 'notifications.bellWithCount',
      access: 'member',
      order: 10,
      count: (viewer) => this.queries.execute(new CountUnreadNotificationsQuery(viewer)),
    });
    // The member's home page: the latest unread notifications, in the reader's language and time zone.
    const catalog = messageCatalog();
    this.homeBlocks.register<HomeNotificationsView>({
      key: 'notifications',
      order: 10,
      access: 'member',
      partial: 'notifications/home-block',
      query: ({ viewer, headerCount }) => new GetHomeNotificationsQuery(viewer, headerCount?.(NOTIFICATIONS_BADGE)),
      present: (result, { locale, timeZone }) => ({
        unread: result.unread,
        more: Math.max(0, result.unread - result.items.length),
        items: result.items.map((n) => ({ ...n, createdIso: n.createdAt.toISOString(), text: notificationText(catalog, n, locale, timeZone) })),
      }),
    });
  }
}
