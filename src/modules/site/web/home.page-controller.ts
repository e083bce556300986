import { Controller, Get, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { HomeBlockRegistry } from '@libs/web/home-blocks';
import { GetAccountQuery } from '@modules/membership/contracts';

@ApiExcludeController()
@Controller()
export class HomePageController {
  constructor(
    private readonly queries: QueryBus,
    private readonly homeBlocks: HomeBlockRegistry,
  ) {}

  @Get()
  @Access('public')
  @Render('site/home')
  async home(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const viewer = (req.user as Viewer | undefined) ?? null;
    if (!viewer) return { title: undefined, guest: true };
    if (!AccessPolicy.isMember(viewer)) {
      return { pending: true, account: await this.queries.execute(new GetAccountQuery(viewer.memberId)) };
    }
    // The member's starting point: every module's block (see HomeBlockRegistry), run in parallel through the QueryBus.
    const timeZone = (res.locals.timeZone as string | undefined) ?? 'Asia/Tokyo';
    const blocks = await this.homeBlocks.load({ viewer, locale: req.locale, timeZone }, (query) => this.queries.execute(query as never));
    return { member: true, blocks };
  }
}
