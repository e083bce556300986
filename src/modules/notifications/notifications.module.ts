import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SendDecisionMailOnApplicationDecidedHandler } from './application/send-decision-mail-on-application-decided.handler';

/** Notices to members about things other modules did (e-mail now; site notifications and digests to come). */
@Module({
  imports: [CqrsModule],
  providers: [SendDecisionMailOnApplicationDecidedHandler],
})
export class NotificationsModule {}
