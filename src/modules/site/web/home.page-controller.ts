import { Controller, Get, Logger, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { headerBadgeCount } from '@libs/web/header-badges';
import { GetAccountQuery } from '@modules/membership/contracts';
import { GetContentHomeQuery, type ContentCardView } from '@modules/content/contracts';

/** Public items on the visitors' home page. */
const PUBLIC_LATEST = 3;

const cardForHome = (card: ContentCardView) => ({ ...card, publishedIso: card.publishedAt ? new Date(card.publishedAt).toISOString() : null });

@ApiExcludeController()
@Controller()
export class HomePageController {
  private readonly logger = new Logger('HomePage');

  constructor(
    private readonly queries: QueryBus,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  @Get()
  @Access('public')
  @Render('site/home')
  async home(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = (req.user as Viewer | undefined) ?? null;
    if (!viewer) {
      // Visitors see what the community publishes openly (public items only); the page stands without it.
      const content = await this.queries.execute(new GetContentHomeQuery(null, req.locale === 'en' ? 'en' : 'ja', PUBLIC_LATEST)).catch((e: unknown) => {
        this.logger.warn(`public content left out of the home page: ${(e as Error).message}`);
        return { featured: [] as ContentCardView[], latest: [] as ContentCardView[] };
      });
      const featured = new Set(content.featured.map((f) => f.id));
      return {
        title: undefined,
        guest: true,
        publicContent: { featured: content.featured.map(cardForHome), latest: content.latest.filter((i) => !featured.has(i.id)).map(cardForHome) },
        headLinks: [{ rel: 'alternate', type: 'application/atom+xml', href: '/content/feed.atom', title: 'Atom' }],
      };
    }
    if (!AccessPolicy.isMember(viewer)) {
      return { pending: true, account: await this.queries.execute(new GetAccountQuery(viewer.memberId)) };
    }
    // The member's starting point: every module's block (see HomeBlockRegistry), run in parallel through the QueryBus.
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const headerCount = (key: string) => headerBadgeCount(req, key);
    const blocks = await this.homeBlocks.load({ viewer, locale: req.locale, timeZone, headerCount }, (query) => this.queries.execute(query as never));
    return { member: true, blocks };
  }
}
