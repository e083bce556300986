import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { DomainError } from '@libs/ddd';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { flash } from '@libs/web/form-state';
import { safeRedirectPath } from '@libs/web/safe-redirect';
import { FormPage } from '@libs/web/form-return';
import { SessionRegistry } from '@libs/web/session-registry';
import {
  AcceptInvitationCommand,
  ApplyForMembershipCommand,
  AuthenticateCommand,
  CheckPasswordResetLinkQuery,
  GetInvitationPreviewQuery,
  RequestPasswordResetCommand,
  ResendVerificationCommand,
  ResetPasswordCommand,
  VerifyEmailCommand,
} from '../contracts';
import { LinkInvalidError } from '../domain/membership.errors';
import { AcceptInvitationRequest, ApplyRequest, LoginRequest, NewPasswordRequest, RequestResetRequest } from './auth.request';
import { signIn } from './sign-in';


/** Sign in and out, apply, verify the address, reset the password, accept an invitation. */
@ApiExcludeController()
@Controller()
export class AuthPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly limits: RateLimitService,
    private readonly sessions: SessionRegistry,
  ) {}

  @Get('login')
  @Access('public')
  @Render('membership/login')
  loginPage(@Query('next') next?: string) {
    return { title: 'membership.login.title', next: safeRedirectPath(next) };
  }

  @Post('login')
  @FormPage('/login')
  @Access('public')
  async login(@Body() body: LoginRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Only failed attempts count, so that colleagues behind one office address are not locked out by each other.
    const ip = req.ip ?? 'unknown';
    await this.limits.ensureAvailable('login:ip', ip);
    await this.limits.ensureAvailable('login:account', body.email);
    const viewer = await this.commands.execute(new AuthenticateCommand(body.email, body.password)).catch(async (e: unknown) => {
      await Promise.all([this.limits.consume('login:ip', ip).catch(() => undefined), this.limits.consume('login:account', body.email).catch(() => undefined)]);
      throw e;
    });
    await this.limits.reset('login:account', body.email);
    await signIn(req, viewer, this.sessions);
    res.redirect(303, safeRedirectPath(body.next));
  }

  @Post('logout')
  @Access('public')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer | undefined;
    if (viewer) await this.sessions.forget(viewer.memberId, req.sessionID);
    await new Promise<void>((resolve) => req.logout(() => resolve()));
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.redirect(303, '/');
  }

  @Get('apply')
  @Access('public')
  applyPage(@Req() req: Request, @Res() res: Response): void {
    // Someone already signed in has an account: their application (or the community) is on the home page.
    if (req.user) return res.redirect(303, '/');
    res.render('membership/apply', { title: 'membership.apply.title' });
  }

  @Post('apply')
  @FormPage('/apply')
  @Access('public')
  async apply(@Body() body: ApplyRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.user) {
      res.redirect(303, '/');
      return;
    }
    await this.limits.consume('signup:ip', req.ip ?? 'unknown');
    if (body.website) {
      res.redirect(303, '/apply/sent');
      return;
    }
    if (body.appliedAs === 'alumni' && body.joinedYear && body.leftYear && body.leftYear < body.joinedYear) {
      throw new DomainError('validation.dateRange', { field: 'leftYear' });
    }
    const { website: _honeypot, ...input } = body;
    await this.commands.execute(new ApplyForMembershipCommand(input, req.locale));
    const viewer = await this.commands.execute(new AuthenticateCommand(body.email, body.password));
    await signIn(req, viewer, this.sessions);
    res.redirect(303, '/apply/sent');
  }

  @Get('apply/sent')
  @Access('public')
  @Render('membership/apply-sent')
  applySent() {
    return { title: 'membership.apply.sentTitle' };
  }

  @Get('verify-email/:token')
  @Access('public')
  async verifyEmail(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new VerifyEmailCommand(token));
    flash(req, 'success', 'membership.verify.done');
    res.redirect(303, req.user ? '/' : '/login');
  }

  @Post('verify-email/resend')
  @FormPage('/')
  @Access('signed-in')
  async resendVerification(@Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    await this.limits.consume('reset:account', viewer.memberId);
    await this.commands.execute(new ResendVerificationCommand(viewer.memberId));
    flash(req, 'success', 'membership.verify.resent');
    res.redirect(303, '/');
  }

  @Get('password-reset')
  @Access('public')
  @Render('membership/reset-request')
  resetRequestPage() {
    return { title: 'membership.reset.title' };
  }

  @Post('password-reset')
  @FormPage('/password-reset')
  @Access('public')
  async requestReset(@Body() body: RequestResetRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.limits.consume('reset:ip', req.ip ?? 'unknown');
    // Over the per-address limit the answer is the same as always: no one learns whether the address exists.
    const underLimit = await this.limits.consume('reset:account', body.email).then(() => true, () => false);
    if (underLimit) await this.commands.execute(new RequestPasswordResetCommand(body.email, req.locale));
    flash(req, 'info', 'membership.reset.sent');
    res.redirect(303, '/password-reset');
  }

  @Get('password-reset/:token')
  @Access('public')
  @Render('membership/reset-password')
  async resetPage(@Param('token') token: string) {
    if (!(await this.queries.execute(new CheckPasswordResetLinkQuery(token)))) throw new LinkInvalidError();
    return { title: 'membership.reset.newTitle', token };
  }

  @Post('password-reset/:token')
  @FormPage('/password-reset/:token')
  @Access('public')
  async reset(@Param('token') token: string, @Body() body: NewPasswordRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new ResetPasswordCommand(token, body.password));
    flash(req, 'success', 'membership.reset.done');
    res.redirect(303, '/login');
  }

  @Get('invitations/:token')
  @Access('public')
  @Render('membership/invitation')
  async invitationPage(@Param('token') token: string) {
    const invitation = await this.queries.execute(new GetInvitationPreviewQuery(token));
    return { title: 'membership.invitation.title', invitation, token };
  }

  @Post('invitations/:token')
  @FormPage('/invitations/:token')
  @Access('public')
  async acceptInvitation(@Param('token') token: string, @Body() body: AcceptInvitationRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = await this.commands.execute(new AcceptInvitationCommand(token, body, req.locale));
    await signIn(req, viewer, this.sessions);
    flash(req, 'success', 'membership.invitation.welcome');
    res.redirect(303, '/profile/edit');
  }
}
