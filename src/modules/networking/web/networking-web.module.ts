import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { NavRegistry } from '@libs/web/nav-registry';
import { ListUnreadThreadsQuery, type ThreadFeedView } from '../contracts';
import { ChatApiController } from './chat.api-controller';
import { ForumAdminPageController } from './forum-admin.page-controller';
import { ForumApiController } from './forum.api-controller';
import { ForumPageController, itemForView } from './forum.page-controller';

/** Unread watched threads on the member's home page. */
const HOME_THREADS = 5;

/** The forum's pages (/forum), its JSON API (/api/v1/forum) and board management (/admin/forum). */
@Module({
  imports: [CqrsModule, ImagesModule],
  controllers: [ForumPageController, ForumApiController, ForumAdminPageController, ChatApiController],
})
export class NetworkingWebModule implements OnModuleInit {
  constructor(
    private readonly nav: NavRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  onModuleInit(): void {
    this.nav.register({ href: '/forum', label: 'networking.forum.nav', access: 'public', order: 6 });
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
