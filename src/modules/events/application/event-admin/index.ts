import type { Type } from '@nestjs/common';

export const EVENT_ADMIN_HANDLERS: Type[] = [];
