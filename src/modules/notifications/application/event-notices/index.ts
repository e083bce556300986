import type { Type } from '@nestjs/common';

export const EVENT_NOTICE_HANDLERS: Type[] = [];
