import type { Type } from '@nestjs/common';

export const PERSONAL_DATA_HANDLERS: Type[] = [];
