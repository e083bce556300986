import { Module } from '@nestjs/common';
import { EventsModule } from '../events.module';

/** Events' BullMQ processors (reminders); part of the worker process only. */
@Module({
  imports: [EventsModule],
  providers: [],
})
export class EventsWorkerModule {}
