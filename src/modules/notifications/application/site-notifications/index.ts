import type { Type } from '@nestjs/common';
import { CountUnreadNotificationsHandler, GetHomeNotificationsHandler, ListNotificationsHandler, MarkNotificationsReadByLinkHandler, MarkNotificationsReadHandler } from './notification.handlers';

export { SiteNotifier, type SiteNotice } from './site-notifier';

export const SITE_NOTIFICATION_HANDLERS: Type[] = [CountUnreadNotificationsHandler, GetHomeNotificationsHandler, ListNotificationsHandler, MarkNotificationsReadHandler, MarkNotificationsReadByLinkHandler];
