import { Controller, Get, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import { csrfTokenFor } from '@libs/security/csrf';
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
  @ApiOperation({
    summary: 'The signed-in account, and the CSRF token of the session',
    description:
      'Every unsafe request (POST, PUT, PATCH, DELETE) must echo the session\'s CSRF token in the `X-CSRF-Token` header; ' +
      'without it the answer is 403. An API client reads the token here once after signing in. It stays the same for the whole session.',
  })
  @ApiOkResponse({
    description: 'Account, status, role and application state, and `csrfToken`',
    schema: {
      type: 'object',
      required: ['memberId', 'email', 'status', 'role', 'csrfToken'],
      properties: {
        memberId: { type: 'string', format: 'uuid' },
        email: { type: 'string' },
        emailVerified: { type: 'boolean' },
        status: { type: 'string', enum: ['pending', 'employee', 'alumni', 'suspended'] },
        role: { type: 'string', enum: ['member', 'operator', 'admin'] },
        locale: { type: 'string', enum: ['ja', 'en'], nullable: true },
        timeZone: { type: 'string', nullable: true },
        displayName: { type: 'string' },
        applicationState: { type: 'string', enum: ['submitted', 'approved', 'declined'], nullable: true },
        appliedAs: { type: 'string', enum: ['employee', 'alumni'], nullable: true },
        appliedAt: { type: 'string', format: 'date-time' },
        declineReason: { type: 'string', nullable: true },
        csrfToken: { type: 'string', description: 'Send as the `X-CSRF-Token` header on every write.' },
      },
    },
  })
  async me(@Req() req: Request): Promise<AccountView & { csrfToken: string }> {
    const account = await this.queries.execute(new GetAccountQuery((req.user as Viewer).memberId));
    return { ...account, csrfToken: csrfTokenFor(req) };
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
