import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MAIL_QUEUE } from '@libs/queue/queue-names';
import { MailMessage } from './mail-message.entity';
import { MailProcessor } from './mail.processor';
import { MailTransport } from './mail-transport';

@Module({ imports: [MikroOrmModule.forFeature([MailMessage])] })
export class MailModule {}

/** The sender; only the worker process imports this. */
@Module({
  imports: [MailModule, BullModule.registerQueue({ name: MAIL_QUEUE })],
  providers: [MailTransport, MailProcessor],
  exports: [MailProcessor, MailTransport],
})
export class MailWorkerModule {}
