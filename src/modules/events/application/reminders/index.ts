import type { Type } from '@nestjs/common';
import { GetEventSummaryHandler } from './get-event-summary.handler';
import { ScheduleRemindersOnEventChangedHandler, ScheduleRemindersOnEventPublishedHandler } from './schedule-reminders.handlers';
import { SendEventRemindersHandler } from './send-event-reminders.handler';

export { DueReminders } from './due-reminders';
export { SendEventRemindersCommand } from './send-event-reminders.command';

export const REMINDER_HANDLERS: Type[] = [
  ScheduleRemindersOnEventPublishedHandler,
  ScheduleRemindersOnEventChangedHandler,
  SendEventRemindersHandler,
  GetEventSummaryHandler,
];
