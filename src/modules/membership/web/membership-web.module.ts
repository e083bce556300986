import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { NavRegistry } from '@libs/web/nav-registry';
import { AccountPageController } from './account.page-controller';
import { AuthPageController } from './auth.page-controller';
import { DirectoryPageController } from './directory.page-controller';
import { MembershipApiController } from './membership.api-controller';
import { ProfilePageController } from './profile.page-controller';

@Module({
  imports: [CqrsModule, ImagesModule],
  controllers: [DirectoryPageController, AuthPageController, AccountPageController, ProfilePageController, MembershipApiController],
})
export class MembershipWebModule implements OnModuleInit {
  constructor(private readonly nav: NavRegistry) {}

  onModuleInit(): void {
    this.nav.register(
      { href: '/members', label: 'nav.directory', access: 'member', order: 5 },
      { href: '/profile', label: 'nav.profile', access: 'member', order: 10 },
    );
  }
}
