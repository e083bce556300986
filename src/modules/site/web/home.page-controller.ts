import { Controller, Get, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { GetAccountQuery } from '@modules/membership/contracts';

@ApiExcludeController()
@Controller()
export class HomePageController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Access('public')
  @Render('site/home')
  async home(@Req() req: Request) {
    const viewer = (req.user as Viewer | undefined) ?? null;
    if (!viewer) return { title: undefined, guest: true };
    if (!AccessPolicy.isMember(viewer)) {
      return { pending: true, account: await this.queries.execute(new GetAccountQuery(viewer.memberId)) };
    }
    return { member: true, isOperator: AccessPolicy.isOperator(viewer) };
  }
}
