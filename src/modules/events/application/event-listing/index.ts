import type { Type } from '@nestjs/common';
import {
  CreateCalendarFeedHandler,
  GetCalendarFeedFileHandler,
  GetCalendarFeedHandler,
  GetEventCalendarHandler,
  RevokeCalendarFeedHandler,
} from './calendar.handlers';
import { GetEventHandler } from './get-event.handler';
import { ListEventsHandler } from './list-events.handler';

export const EVENT_LISTING_HANDLERS: Type[] = [
  ListEventsHandler,
  GetEventHandler,
  GetEventCalendarHandler,
  GetCalendarFeedHandler,
  CreateCalendarFeedHandler,
  RevokeCalendarFeedHandler,
  GetCalendarFeedFileHandler,
];
