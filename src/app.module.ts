import { PersonalDataModule } from '@libs/personal-data';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigModule } from '@libs/config';
import { DatabaseModule } from '@libs/database/database.module';
import { loggerOptions } from '@libs/logging/logger-options';
import { MailModule } from '@libs/mail/mail.module';
import { OutboxModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { WebPlatformModule } from '@libs/web/web-platform.module';
import { AdminWebModule } from '@modules/admin/admin-web.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { EventsModule } from '@modules/events/events.module';
import { EventsWebModule } from '@modules/events/web/events-web.module';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { NetworkingModule } from '@modules/networking/networking.module';
import { NetworkingWebModule } from '@modules/networking/web/networking-web.module';
import { NetworkingRealtimeModule } from '@modules/networking/realtime/networking-realtime.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { NotificationsWebModule } from '@modules/notifications/web/notifications-web.module';
import { PrivacyWebModule } from '@modules/privacy/web/privacy-web.module';
import { MembershipWebModule } from '@modules/membership/web/membership-web.module';
import { migrations } from './migrations';
import { SiteWebModule } from '@modules/site/site-web.module';
import { ContentModule } from '@modules/content/content.module';
import { ContentWebModule } from '@modules/content/web/content-web.module';
import { ContentApiModule } from '@modules/content/web/content-api.module';

/** The web process: pages, JSON API, chat's sockets, and the command/query side of every module. */
@Module({
  imports: [
    AppConfigModule.forRoot(),
    LoggerModule.forRootAsync(loggerOptions('web')),
    DatabaseModule.forRoot(migrations),
    QueueModule,
    OutboxModule,
    MailModule,
    CqrsModule.forRoot(),
    PersonalDataModule,
    WebPlatformModule,
    SiteWebModule,
    MembershipModule,
    PrivacyModule,
    EventsModule,
    NotificationsModule,
    NetworkingModule,
    ModerationModule,
    ContentModule,
    MembershipWebModule,
    AdminWebModule,
    PrivacyWebModule,
    EventsWebModule,
    NotificationsWebModule,
    NetworkingWebModule,
    NetworkingRealtimeModule,
    ContentWebModule,
    ContentApiModule,
  ],
})
export class AppModule {}
