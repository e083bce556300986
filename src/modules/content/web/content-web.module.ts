import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { NavRegistry } from '@libs/web/nav-registry';
import { GetContentHomeQuery, type ContentCardView } from '../contracts';
import { ContentAdminPageController } from './content-admin.page-controller';
import { ContentPageController } from './content.page-controller';
import { cardForView } from './content-view';
import { SitemapController } from './sitemap.controller';

/** Latest items on the member's home page (besides the featured ones). */
const HOME_LATEST = 4;

/** Content's pages: /content, the editor, the review queue, the Atom feed and the sitemap. */
@Module({
  imports: [CqrsModule, ImagesModule],
  controllers: [ContentPageController, ContentAdminPageController, SitemapController],
})
export class ContentWebModule implements OnModuleInit {
  constructor(
    private readonly nav: NavRegistry,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  onModuleInit(): void {
    this.nav.register({ href: '/content', label: 'content.nav', access: 'public', order: 5 });
    // The member's home page: what operators pinned, then the newest items the member may see.
    this.homeBlocks.register<{ featured: ContentCardView[]; latest: ContentCardView[] }>({
      key: 'content',
      order: 15,
      access: 'member',
      partial: 'content/home-block',
      query: ({ viewer, locale }) => new GetContentHomeQuery(viewer, locale === 'en' ? 'en' : 'ja', HOME_LATEST),
      present: (home) => {
        const featured = new Set(home.featured.map((f) => f.id));
        return { featured: home.featured.map(cardForView), latest: home.latest.filter((i) => !featured.has(i.id)).map(cardForView) };
      },
    });
  }
}
