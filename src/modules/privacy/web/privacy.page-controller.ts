import { Body, Controller, Get, Post, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import { GetConsentHistoryQuery, GetConsentStateQuery, GetConsentTextsQuery, RecordConsentCommand } from '../contracts';
import { ConsentRequest } from './privacy.request';

const ANSWER_BADGE = { 'not-answered': 'pending', given: 'employee', withdrawn: 'suspended' } as const;

/** /account/privacy: consent per purpose, with the current text and the full history. */
@ApiExcludeController()
@Controller('account/privacy')
export class PrivacyPageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Access('member')
  @Render('privacy/consent')
  async page(@Req() req: Request) {
    const viewer = req.user as Viewer;
    const [texts, states, history] = await Promise.all([
      this.queries.execute(new GetConsentTextsQuery(req.locale)),
      this.queries.execute(new GetConsentStateQuery(viewer.memberId)),
      this.queries.execute(new GetConsentHistoryQuery(viewer.memberId)),
    ]);
    const purposes = texts.map((text) => {
      const state = states.find((s) => s.purpose === text.purpose);
      return { ...text, ...state, badge: ANSWER_BADGE[state?.answer ?? 'not-answered'], canGive: state?.answer !== 'given' || state.outdated, canWithdraw: state?.answer === 'given' };
    });
    return { title: 'privacy.consent.title', section: 'consent', isMember: true, purposes, history };
  }

  @Post('consents')
  @FormPage('/account/privacy')
  @Access('member')
  async decide(@Body() body: ConsentRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    const viewer = req.user as Viewer;
    const granted = body.decision === 'give';
    const { recorded } = await this.commands.execute(new RecordConsentCommand(viewer.memberId, body.purpose, granted, body.version, req.locale));
    flash(req, recorded ? 'success' : 'info', recorded ? (granted ? 'privacy.consent.given' : 'privacy.consent.withdrawn') : 'privacy.consent.unchanged');
    res.redirect(303, '/account/privacy');
  }
}
