import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { DomainError } from '@libs/ddd';
import { Access } from '@libs/security/access.decorator';
import { AccessPolicy, type Viewer } from '@libs/security/access-policy';
import { RateLimitService } from '@libs/security/rate-limit.service';
import { FormPage } from '@libs/web/form-return';
import { SessionRegistry } from '@libs/web/session-registry';
import { LOCALE_COOKIE } from '@libs/web/web-platform';
import { DeleteAccountCommand } from '@modules/membership/contracts';
import { DeleteAccountRequest } from './privacy.request';

/** /account/delete: what deleting erases and what stays, then the deletion itself (password and a tick). */
@ApiExcludeController()
@Controller('account')
export class AccountDeletionPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly sessions: SessionRegistry,
    private readonly limits: RateLimitService,
  ) {}

  @Get('delete')
  @Access('signed-in')
  @Render('privacy/delete')
  page(@Req() req: Request) {
    return { title: 'privacy.delete.title', section: 'delete', isMember: AccessPolicy.isMember(req.user as Viewer) };
  }

  @Post('delete')
  @FormPage('/account/delete')
  @Access('signed-in')
  async delete(@Body() body: DeleteAccountRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    if (!body.confirm) throw new DomainError('privacy.delete.confirmRequired', { status: 400, field: 'confirm' });
    // Wrong passwords count like failed sign-ins, so a borrowed session cannot be used to guess the password.
    const bucketKey = `delete:${viewer.memberId}`;
    await this.limits.ensureAvailable('login:account', bucketKey);
    await this.commands.execute(new DeleteAccountCommand(viewer.memberId, body.password)).catch(async (e: unknown) => {
      if (e instanceof DomainError && e.field === 'password') await this.limits.consume('login:account', bucketKey).catch(() => undefined);
      throw e;
    });
    await this.sessions.destroyAll(viewer.memberId);
    await new Promise<void>((resolve) => req.logout(() => resolve()));
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    // The goodbye page speaks the language the member used.
    res.cookie(LOCALE_COOKIE, req.locale, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, secure: req.secure });
    res.redirect(303, '/account/deleted');
  }

  @Get('deleted')
  @Access('public')
  @Render('privacy/deleted')
  deleted() {
    return { title: 'privacy.deleted.title' };
  }
}
