import { PersonalDataModule } from '@libs/personal-data';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AppConfigModule } from '@libs/config';
import { DatabaseModule } from '@libs/database/database.module';
import { loggerOptions } from '@libs/logging/logger-options';
import { ImagesWorkerModule } from '@libs/images/images.module';
import { MailWorkerModule } from '@libs/mail/mail.module';
import { OutboxWorkerModule } from '@libs/outbox/outbox.module';
import { QueueModule } from '@libs/queue/queue.module';
import { MembershipModule } from '@modules/membership/membership.module';
import { MembershipWorkerModule } from '@modules/membership/jobs/membership-worker.module';
import { PrivacyModule } from '@modules/privacy/privacy.module';
import { PrivacyWorkerModule } from '@modules/privacy/jobs/privacy-worker.module';
import { NotificationsModule } from '@modules/notifications/notifications.module';
import { NetworkingModule } from '@modules/networking/networking.module';
import { ModerationModule } from '@modules/moderation/moderation.module';
import { EventsModule } from '@modules/events/events.module';
import { EventsWorkerModule } from '@modules/events/jobs/events-worker.module';
import { NetworkingRelayModule } from '@modules/networking/realtime/networking-relay.module';
import { ContentModule } from '@modules/content/content.module';
import { ContentWorkerModule } from '@modules/content/jobs/content-worker.module';
import { migrations } from './migrations';

/** The worker process: the outbox relay and every BullMQ processor. No HTTP. */
@Module({
  imports: [
    AppConfigModule.forRoot(),
    LoggerModule.forRootAsync(loggerOptions('worker')),
    DatabaseModule.forRoot(migrations, { requestContext: false }),
    QueueModule,
    OutboxWorkerModule,
    MailWorkerModule,
    ImagesWorkerModule,
    CqrsModule.forRoot(),
    PersonalDataModule,
    MembershipModule,
    PrivacyModule,
    NotificationsModule,
    NetworkingModule,
    NetworkingRelayModule,
    ModerationModule,
    MembershipWorkerModule,
    EventsModule,
    EventsWorkerModule,
    PrivacyWorkerModule,
    ContentModule,
    ContentWorkerModule,
  ],
})
export class WorkerModule {}
