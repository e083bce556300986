import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, MEMBER_ROLES, MEMBER_STATUSES, type Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { pageLinks } from '@libs/web/pagination';
import { requestIdOf } from '@libs/web/request-id';
import { SessionRegistry } from '@libs/web/session-registry';
import {
  ChangeMemberRoleCommand,
  ChangeMemberStatusCommand,
  CountMembersByStatusQuery,
  DecideApplicationCommand,
  GetApplicationQuery,
  GetMemberForAdminQuery,
  InviteMemberCommand,
  ListApplicationsQuery,
  ListInvitationsQuery,
  ListMembersQuery,
  ReinstateMemberCommand,
  SuspendMemberCommand,
} from '@modules/membership/contracts';
import { RecordAuditEventCommand } from '@modules/privacy/contracts';
import { ChangeRoleRequest, ChangeStatusRequest, DeclineRequest, InviteRequest, MemberListQuery, PageQuery, SuspendRequest } from './admin.request';

const uuid = () => new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** The staff member reading the page, in the language the page is shown in (names such as 退会したメンバー follow it). */
const reader = (req: Request): Viewer => ({ ...(req.user as Viewer), locale: req.locale });

/** The CSV export of the member list with the list's filters. */
function exportLink(query: MemberListQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ q: query.q, status: query.status, role: query.role, contact: query.contact })) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `/admin/members/export.csv?${qs}` : '/admin/members/export.csv';
}

/** The HR console: applications, members, invitations. Operators approve and invite; admins change status and roles. */
@ApiExcludeController()
@Controller('admin')
export class AdminPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly sessions: SessionRegistry,
  ) {}

  @Get()
  @Access('operator')
  @Render('admin/dashboard')
  async dashboard(@Req() req: Request) {
    const viewer = req.user as Viewer;
    const counts = await this.queries.execute(new CountMembersByStatusQuery(viewer));
    return { title: 'admin.dashboard.title', counts, isAdmin: AccessPolicy.isAdmin(viewer), section: 'dashboard' };
  }

  @Get('applications')
  @Access('operator')
  @Render('admin/applications')
  async applications(@Query() query: PageQuery, @Req() req: Request) {
    const state = query.state ?? 'submitted';
    const result = await this.queries.execute(new ListApplicationsQuery(reader(req), state, query.page ?? 1));
    return { title: 'admin.applications.title', state, result, pager: pageLinks('/admin/applications', { state }, result.page, result.pages), section: 'applications' };
  }

  @Get('applications/:id')
  @Access('operator')
  @Render('admin/application')
  async application(@Param('id', uuid()) id: string, @Req() req: Request) {
    const application = await this.queries.execute(new GetApplicationQuery(reader(req), id));
    return { title: 'admin.applications.detailTitle', application, section: 'applications' };
  }

  @Post('applications/:id/approve')
  @FormPage('/admin/applications/:id')
  @Access('operator')
  async approve(@Param('id', uuid()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DecideApplicationCommand(req.user as Viewer, id, 'approve'));
    flash(req, 'success', 'admin.applications.approved');
    res.redirect(303, '/admin/applications');
  }

  @Post('applications/:id/decline')
  @FormPage('/admin/applications/:id')
  @Access('operator')
  async decline(@Param('id', uuid()) id: string, @Body() body: DeclineRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new DecideApplicationCommand(req.user as Viewer, id, 'decline', body.reason));
    flash(req, 'success', 'admin.applications.declined');
    res.redirect(303, '/admin/applications');
  }

  @Get('members')
  @Access('operator')
  @Render('admin/members')
  async members(@Query() query: MemberListQuery, @Req() req: Request) {
    const result = await this.queries.execute(new ListMembersQuery(reader(req), query, query.page ?? 1));
    return {
      title: 'admin.members.title',
      query,
      result,
      statuses: MEMBER_STATUSES,
      roles: MEMBER_ROLES,
      pager: pageLinks('/admin/members', { q: query.q, status: query.status, role: query.role, contact: query.contact }, result.page, result.pages),
      // HR admins download the list with the same filters (the export is audit-logged).
      exportHref: AccessPolicy.isAdmin(req.user as Viewer) ? exportLink(query) : null,
      // Sign-in addresses are listed for HR admins only (operators open a member, which is audit-logged).
      showEmail: AccessPolicy.isAdmin(req.user as Viewer),
      section: 'members',
    };
  }

  @Get('members/:id')
  @Access('operator')
  @Render('admin/member')
  async member(@Param('id', uuid()) id: string, @Req() req: Request) {
    const viewer = req.user as Viewer;
    const member = await this.queries.execute(new GetMemberForAdminQuery(reader(req), id));
    // The page shows the sign-in address, which only operators and admins see: recorded in the audit log
    // (not for an erased account, whose address is a placeholder).
    if (viewer.memberId !== id && member.status !== 'deleted') {
      await this.commands.execute(
        new RecordAuditEventCommand(viewer, 'profile.restricted-viewed', {
          subject: { id, name: member.displayName },
          fields: ['accountEmail'],
          detail: { page: 'admin' },
          requestId: requestIdOf(req),
        }),
      );
    }
    return {
      title: 'admin.members.detailTitle',
      member,
      roles: MEMBER_ROLES,
      isAdmin: AccessPolicy.isAdmin(viewer),
      isSelf: viewer.memberId === id,
      today: new Date().toISOString().slice(0, 10),
      section: 'members',
    };
  }

  @Post('members/:id/status')
  @FormPage('/admin/members/:id')
  @Access('admin')
  async changeStatus(@Param('id', uuid()) id: string, @Body() body: ChangeStatusRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { leavingMail } = await this.commands.execute(new ChangeMemberStatusCommand(req.user as Viewer, id, body.status, body.departedOn));
    // A leaver who could not be mailed: HR is told at once (the member page shows 個人アドレス未登録 too).
    if (leavingMail === 'none') flash(req, 'info', 'admin.members.leavingMailNotSent');
    else flash(req, 'success', 'admin.members.statusChanged');
    res.redirect(303, `/admin/members/${id}`);
  }

  @Post('members/:id/role')
  @FormPage('/admin/members/:id')
  @Access('admin')
  async changeRole(@Param('id', uuid()) id: string, @Body() body: ChangeRoleRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ChangeMemberRoleCommand(req.user as Viewer, id, body.role));
    flash(req, 'success', 'admin.members.roleChanged');
    res.redirect(303, `/admin/members/${id}`);
  }

  @Post('members/:id/suspend')
  @FormPage('/admin/members/:id')
  @Access('admin')
  async suspend(@Param('id', uuid()) id: string, @Body() body: SuspendRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new SuspendMemberCommand(req.user as Viewer, id, body.reason));
    await this.sessions.destroyAll(id);
    flash(req, 'success', 'admin.members.suspended');
    res.redirect(303, `/admin/members/${id}`);
  }

  @Post('members/:id/reinstate')
  @FormPage('/admin/members/:id')
  @Access('admin')
  async reinstate(@Param('id', uuid()) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ReinstateMemberCommand(req.user as Viewer, id));
    flash(req, 'success', 'admin.members.reinstated');
    res.redirect(303, `/admin/members/${id}`);
  }

  @Get('invitations')
  @Access('operator')
  @Render('admin/invitations')
  async invitations(@Query() query: PageQuery, @Req() req: Request) {
    const result = await this.queries.execute(new ListInvitationsQuery(reader(req), query.page ?? 1));
    return { title: 'admin.invitations.title', result, pager: pageLinks('/admin/invitations', {}, result.page, result.pages), section: 'invitations' };
  }

  @Post('invitations')
  @FormPage('/admin/invitations')
  @Access('operator')
  async invite(@Body() body: InviteRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new InviteMemberCommand(req.user as Viewer, body.email, body.status, body.locale, body.message));
    flash(req, 'success', 'admin.invitations.sent');
    res.redirect(303, '/admin/invitations');
  }
}
