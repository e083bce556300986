import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { CHAT_NOTICE_HANDLERS } from './application/chat-notices';
import { CONTENT_NOTICE_HANDLERS } from './application/content-notices';
import { EVENT_NOTICE_HANDLERS } from './application/event-notices';
import { FORUM_NOTICE_HANDLERS } from './application/forum-notices';
import { SITE_NOTIFICATION_HANDLERS } from './application/site-notifications';
import { SendDecisionMailOnApplicationDecidedHandler } from './application/send-decision-mail-on-application-decided.handler';
import { Notification } from './domain/notification.entity';

/** Notices to members about things other modules did: e-mail and site notifications (the bell). */
@Module({
  imports: [CqrsModule, MikroOrmModule.forFeature([Notification])],
  providers: [SendDecisionMailOnApplicationDecidedHandler, ...SITE_NOTIFICATION_HANDLERS, ...EVENT_NOTICE_HANDLERS, ...FORUM_NOTICE_HANDLERS, ...CHAT_NOTICE_HANDLERS, ...CONTENT_NOTICE_HANDLERS],
})
export class NotificationsModule {}
