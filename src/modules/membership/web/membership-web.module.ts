import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { NavRegistry } from '@libs/web/nav-registry';
import { GetProfileCompletenessQuery, ListRecentMembersNearQuery, type ProfileCompletenessView, type ProfileSection } from '../contracts';

/** Where each profile section is on /profile/edit. */
const SECTION_ANCHORS: Record<ProfileSection, string> = { photo: 'photo', basics: 'basic', career: 'career', currentWork: 'career', skills: 'skills', interests: 'skills', bio: 'skills' };
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
  constructor(
    private readonly nav: NavRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  onModuleInit(): void {
    this.nav.register(
      { href: '/members', label: 'nav.directory', access: 'member', order: 5 },
      { href: '/profile', label: 'nav.profile', access: 'member', order: 10 },
    );
    // The member's home page: the prompt to complete the profile (with the profile and account links), and members
    // who joined recently from the viewer's department or year.
    this.homeBlocks.register<ProfileCompletenessView>({
      key: 'profile',
      order: 0,
      access: 'member',
      partial: 'membership/home-profile',
      wide: true,
      query: ({ viewer }) => new GetProfileCompletenessQuery(viewer),
      present: (result) => ({ ...result, anchors: SECTION_ANCHORS }),
    });
    this.homeBlocks.register({ key: 'recent-members', order: 30, access: 'member', partial: 'membership/home-recent-members', query: ({ viewer }) => new ListRecentMembersNearQuery(viewer) });
  }
}
