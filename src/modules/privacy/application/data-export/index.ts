import type { Type } from '@nestjs/common';

export const DATA_EXPORT_HANDLERS: Type[] = [];
