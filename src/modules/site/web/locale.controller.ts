import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { FormPage } from '@libs/web/form-return';
import { safeRedirectPath } from '@libs/web/safe-redirect';
import { LOCALE_COOKIE } from '@libs/web/web-platform';
import { ChangeLanguageCommand } from '@modules/membership/contracts';
import { ChangeLocaleRequest } from './locale.request';

/** The language switcher in the header: remembered in a cookie, and on the member's account when signed in. */
@ApiExcludeController()
@Controller()
export class LocaleController {
  constructor(private readonly commands: CommandBus) {}

  @Post('locale')
  @FormPage('/')
  @Access('public')
  async change(@Body() body: ChangeLocaleRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer | undefined;
    if (viewer) await this.commands.execute(new ChangeLanguageCommand(viewer.memberId, body.locale));
    res.cookie(LOCALE_COOKIE, body.locale, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, secure: req.secure });
    res.redirect(303, safeRedirectPath(body.next));
  }
}
