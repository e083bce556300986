import { Controller, Get, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { GetAccountQuery, GetMemberProfileQuery, type AccountView, type MemberProfileView } from '../contracts';
import { auditRestrictedView } from './restricted-view-audit';

@ApiTags('membership')
@ApiCookieAuth()
@Controller('api/v1')
export class MembershipApiController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get('me')
  @Access('signed-in')
  @ApiOperation({ summary: 'The signed-in account' })
  @ApiOkResponse({ description: 'Account, status, role and application state' })
  me(@Req() req: Request): Promise<AccountView> {
    return this.queries.execute(new GetAccountQuery((req.user as Viewer).memberId));
  }

  @Get('members/:id')
  @Access('member')
  @ApiOperation({ summary: "A member's profile, filtered by the member's privacy choices for the caller" })
  async member(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request): Promise<MemberProfileView> {
    const viewer = req.user as Viewer;
    const profile = await this.queries.execute(new GetMemberProfileQuery(viewer, id));
    await auditRestrictedView(this.commands, req, profile, 'api');
    return profile;
  }
}
