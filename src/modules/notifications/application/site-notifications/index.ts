import type { Type } from '@nestjs/common';

export const SITE_NOTIFICATION_HANDLERS: Type[] = [];
