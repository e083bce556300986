import type { Type } from '@nestjs/common';

export const DIRECTORY_EXPORT_HANDLERS: Type[] = [];
