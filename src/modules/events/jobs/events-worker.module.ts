import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { EventsModule } from '../events.module';
import { EVENTS_QUEUES } from '../contracts/reminders';
import { DueReminders } from '../application/reminders';
import { EventRemindersProcessor } from './event-reminders.processor';

/** Events' BullMQ processors (reminders and their sweeper); part of the worker process only. */
@Module({
  imports: [EventsModule, BullModule.registerQueue({ name: EVENTS_QUEUES.reminders })],
  providers: [DueReminders, EventRemindersProcessor],
})
export class EventsWorkerModule {}
