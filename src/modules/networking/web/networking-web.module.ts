import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule, QueryBus } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { HeaderBadgeRegistry } from '@libs/web/header-badges';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { NavRegistry } from '@libs/web/nav-registry';
import { GetChatUnreadTotalQuery, ListUnreadThreadsQuery, type ThreadFeedView } from '../contracts';
import { ChatAdminPageController } from './chat-admin.page-controller';
import { ChatApiController } from './chat.api-controller';
import { ChatPageController } from './chat.page-controller';
import { ForumAdminPageController } from './forum-admin.page-controller';
import { ForumApiController } from './forum.api-controller';
import { ForumPageController, itemForView } from './forum.page-controller';

/** Unread watched threads on the member's home page. */
const HOME_THREADS = 5;

/**
 * The forum's pages (/forum), its JSON API (/api/v1/forum) and board management (/admin/forum); the chat pages
 * (/chat), channel management (/admin/chat) and the chat badge in the header.
 */
@Module({
  imports: [CqrsModule, ImagesModule],
  controllers: [ForumPageController, ForumApiController, ForumAdminPageController, ChatPageController, ChatAdminPageController, ChatApiController],
})
export class NetworkingWebModule implements OnModuleInit {
  constructor(
    private readonly nav: NavRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
    private readonly badges: HeaderBadgeRegistry,
    private readonly queries: QueryBus,
  ) {}

  onModuleInit(): void {
    this.nav.register({ href: '/forum', label: 'networking.forum.nav', access: 'public', order: 6 });
    this.nav.register({ href: '/chat', label: 'networking.chat.nav', access: 'member', order: 6.5 });
    // Unread chat messages over every conversation the member is in (chat.js keeps it current while a page is open).
    this.badges.register({
      key: 'chat',
      href: '/chat',
      label: 'networking.chat.badge',
      labelWithCount: 'networking.chat.badgeWithCount',
      access: 'member',
      order: 20,
      count: (viewer) => this.queries.execute(new GetChatUnreadTotalQuery(viewer)),
    });
    // The member's home page: watched threads with posts they have not read, each linked to its first unread post.
    this.homeBlocks.register<ThreadFeedView>({
      key: 'forum',
      order: 25,
      access: 'member',
      partial: 'networking/home-block',
      query: ({ viewer, locale }) => new ListUnreadThreadsQuery(viewer, 1, locale === 'en' ? 'en' : 'ja'),
      present: (feed) => ({
        total: feed.total,
        more: feed.total > HOME_THREADS,
        items: feed.items.slice(0, HOME_THREADS).map(itemForView),
      }),
    });
  }
}
