import type { Type } from '@nestjs/common';

export const REMINDER_HANDLERS: Type[] = [];
