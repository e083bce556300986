import { Body, Controller, Get, Param, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { SessionRegistry } from '@libs/web/session-registry';
import {
  ChangePasswordCommand,
  ChangeTimeZoneCommand,
  COMMON_TIME_ZONES,
  ConfirmEmailChangeCommand,
  EndAllSessionsCommand,
  GetAccountQuery,
  RequestEmailChangeCommand,
} from '../contracts';
import { zoneLabel } from '@libs/calendar/zoned-time';
import { ChangeEmailRequest, ChangePasswordRequest, ChangeTimeZoneRequest } from './account.request';
import { signIn } from './sign-in';

/** The member's own account: sign-in address, password, sessions. */
@ApiExcludeController()
@Controller('account')
export class AccountPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly sessions: SessionRegistry,
  ) {}

  @Get()
  @Access('signed-in')
  @Render('membership/account')
  async account(@Req() req: Request) {
    const viewer = req.user as Viewer;
    const zone = viewer.timeZone ?? 'Asia/Tokyo';
    const zones: string[] = COMMON_TIME_ZONES.includes(zone as (typeof COMMON_TIME_ZONES)[number]) ? [...COMMON_TIME_ZONES] : [zone, ...COMMON_TIME_ZONES];
    return {
      title: 'membership.account.title',
      account: await this.queries.execute(new GetAccountQuery(viewer.memberId)),
      timeZone: { current: zone, label: zoneLabel(zone, req.locale), options: zones.map((z) => ({ value: z, label: zoneLabel(z, req.locale) })) },
    };
  }

  @Post('time-zone')
  @FormPage('/account')
  @Access('signed-in')
  async changeTimeZone(@Body() body: ChangeTimeZoneRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ChangeTimeZoneCommand((req.user as Viewer).memberId, body.timeZone));
    flash(req, 'success', 'membership.timeZone.saved');
    res.redirect(303, '/account#time-zone');
  }

  @Post('password')
  @FormPage('/account')
  @Access('signed-in')
  async changePassword(@Body() body: ChangePasswordRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const updated = await this.commands.execute(new ChangePasswordCommand(viewer.memberId, body.currentPassword, body.newPassword));
    await this.sessions.destroyAll(viewer.memberId);
    await signIn(req, updated, this.sessions);
    flash(req, 'success', 'membership.account.passwordChanged');
    res.redirect(303, '/account');
  }

  @Post('email')
  @FormPage('/account')
  @Access('signed-in')
  async changeEmail(@Body() body: ChangeEmailRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    await this.commands.execute(new RequestEmailChangeCommand(viewer.memberId, body.password, body.newEmail));
    flash(req, 'info', 'membership.account.emailConfirmSent');
    res.redirect(303, '/account');
  }

  @Get('email/:token')
  @Access('public')
  async confirmEmail(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ConfirmEmailChangeCommand(token));
    flash(req, 'success', 'membership.account.emailChanged');
    res.redirect(303, req.user ? '/account' : '/login');
  }

  @Post('sessions/end')
  @FormPage('/account')
  @Access('signed-in')
  async endAllSessions(@Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    await this.commands.execute(new EndAllSessionsCommand(viewer.memberId));
    await this.sessions.destroyAll(viewer.memberId);
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.redirect(303, '/login');
  }
}
