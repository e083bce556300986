import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { NavRegistry } from '@libs/web/nav-registry';
import { ForumAdminPageController } from './forum-admin.page-controller';
import { ForumApiController } from './forum.api-controller';
import { ForumPageController } from './forum.page-controller';

/** The forum's pages (/forum), its JSON API (/api/v1/forum) and board management (/admin/forum). */
@Module({
  imports: [CqrsModule, ImagesModule],
  controllers: [ForumPageController, ForumApiController, ForumAdminPageController],
})
export class NetworkingWebModule implements OnModuleInit {
  constructor(private readonly nav: NavRegistry) {}

  onModuleInit(): void {
    this.nav.register({ href: '/forum', label: 'networking.forum.nav', access: 'public', order: 6 });
  }
}
