import { Module } from '@nestjs/common';
import { ContentModule } from '../content.module';

/** Content's BullMQ processors (scheduled publication, view counting); part of the worker process only. */
@Module({
  imports: [ContentModule],
  providers: [],
})
export class ContentWorkerModule {}
