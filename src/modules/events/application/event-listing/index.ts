import type { Type } from '@nestjs/common';

export const EVENT_LISTING_HANDLERS: Type[] = [];
