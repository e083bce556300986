import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { ContentModule } from '../content.module';
import { CONTENT_QUEUES } from '../contracts';
import { DueScheduledContent } from '../application/scheduled';
import { ContentProcessor } from './content.processor';

/** Content's BullMQ processors (scheduled publication, view counting); part of the worker process only. */
@Module({
  imports: [ContentModule, BullModule.registerQueue({ name: CONTENT_QUEUES.content })],
  providers: [DueScheduledContent, ContentProcessor],
})
export class ContentWorkerModule {}
