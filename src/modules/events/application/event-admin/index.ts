import type { Type } from '@nestjs/common';
import {
  CancelEventHandler,
  CheckInHandler,
  CreateEventHandler,
  PublishEventHandler,
  UndoCheckInHandler,
  UpdateEventHandler,
} from './event-admin.handlers';
import { GetEventForEditHandler, ListAttendeesHandler, ListEventsForOperatorsHandler } from './event-admin.queries';
import { SeedDemoEventsHandler } from './seed-demo-events.handler';

export const EVENT_ADMIN_HANDLERS: Type[] = [
  CreateEventHandler,
  UpdateEventHandler,
  PublishEventHandler,
  CancelEventHandler,
  CheckInHandler,
  UndoCheckInHandler,
  ListEventsForOperatorsHandler,
  GetEventForEditHandler,
  ListAttendeesHandler,
  SeedDemoEventsHandler,
];
