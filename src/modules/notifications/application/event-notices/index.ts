import type { Type } from '@nestjs/common';
import {
  NotifyMemberOnRegistrationConfirmedHandler,
  NotifyMemberOnRegistrationPromotedHandler,
  NotifyMemberOnRegistrationWaitlistedHandler,
  NotifyMembersOnEventCancelledHandler,
  NotifyMembersOnEventChangedHandler,
  RemindMemberOnReminderDueHandler,
} from './event-notice.handlers';
import { EventNoticeSender } from './event-notice-sender';

export const EVENT_NOTICE_HANDLERS: Type[] = [
  EventNoticeSender,
  NotifyMemberOnRegistrationConfirmedHandler,
  NotifyMemberOnRegistrationWaitlistedHandler,
  NotifyMemberOnRegistrationPromotedHandler,
  NotifyMembersOnEventChangedHandler,
  NotifyMembersOnEventCancelledHandler,
  RemindMemberOnReminderDueHandler,
];
